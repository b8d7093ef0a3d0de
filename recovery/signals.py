"""What recovery announces. Receivers (exercises, notifications) subscribe in their AppConfig.ready(); recovery never
imports them. Signals carry ids only.

Two kinds: most are announced after the transaction commits (`announce`), so a receiver never sees a rolled-back fact.
The "part of the same write" ones (`procedure_completed`, `alert_reviewed`, `alert_recorded`) are sent inside the
transaction (`within`): what a receiver writes commits or rolls back with the fact itself (the exercise plan of a done
procedure, the progression holds an acknowledged alert lifts, the notification rows of a new alert, which so are never
lost between the commit and a broker that may be down), and its error undoes the fact. Such a receiver writes rows
only and defers anything that must wait for the commit with `transaction.on_commit`; `alert_raised`, after the commit,
only hurries the alert's notifications along.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# kwargs: checkin_id (UUID), patient_id (UUID), local_date (date), created (bool)
checkin_recorded = Signal()
# kwargs: alert_id (UUID), patient_id (UUID), tier (str). Sent inside the transaction: receivers write rows only
# (no broker, no network); an error rolls the alert back with the check-in that raised it.
alert_recorded = Signal()
# kwargs: alert_id (UUID), patient_id (UUID), tier (str). After the commit.
alert_raised = Signal()
# kwargs: milestone_id (UUID), patient_id (UUID)
milestone_opened = Signal()
# Sent within the transaction. kwargs: procedure_id (UUID), patient_id (UUID), by_id (UUID), at (datetime)
procedure_completed = Signal()
# An alert acknowledged or resolved by a clinician. Sent within the transaction.
# kwargs: alert_id (UUID), patient_id (UUID), by_id (UUID), at (datetime)
alert_reviewed = Signal()


def announce(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` once the surrounding transaction has committed (at once when there is none)."""
    transaction.on_commit(lambda: signal.send(sender=signal, **kwargs), robust=True)


def within(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` now, inside the caller's transaction; a receiver's error propagates and rolls the write back."""
    signal.send(sender=signal, **kwargs)
