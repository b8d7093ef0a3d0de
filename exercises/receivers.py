"""What exercises does when recovery announces something (connected in ExercisesConfig.ready). Both signals are sent
inside recovery's transaction, so the plan and the released holds commit or roll back with the fact."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from accounts.models import User
from exercises import services
from recovery.models import Alert, Procedure


def on_procedure_completed(
    sender: Any, *, procedure_id: uuid.UUID, by_id: uuid.UUID, at: dt.datetime, **kwargs: Any
) -> None:
    """The procedure's exercise plan, from the protocol's default plan."""
    procedure = Procedure.objects.select_related("patient").get(pk=procedure_id)
    services.exercise_plan_create_for_procedure(procedure=procedure, by=User.objects.get(pk=by_id), now=at)


def on_alert_reviewed(sender: Any, *, alert_id: uuid.UUID, by_id: uuid.UUID, at: dt.datetime, **kwargs: Any) -> None:
    """A clinician acknowledged or resolved the alert: lift the progression holds it placed."""
    services.exercise_holds_release(alert=Alert.objects.get(pk=alert_id), by=User.objects.get(pk=by_id), now=at)
