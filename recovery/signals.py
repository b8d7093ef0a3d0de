"""What recovery announces. Receivers (notifications) subscribe in their AppConfig.ready(); recovery never imports
them. Every signal is sent after the transaction commits, with ids only, so a receiver never sees a rolled-back fact.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# kwargs: checkin_id (UUID), patient_id (UUID), created (bool)
checkin_recorded = Signal()
# kwargs: alert_id (UUID), patient_id (UUID), tier (str)
alert_raised = Signal()
# kwargs: milestone_id (UUID), patient_id (UUID)
milestone_opened = Signal()
# kwargs: procedure_id (UUID), patient_id (UUID)
procedure_completed = Signal()


def announce(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` once the surrounding transaction has committed (at once when there is none)."""
    transaction.on_commit(lambda: signal.send(sender=signal, **kwargs), robust=True)
