"""Everything interop reads from the other apps, gathered in one module: when a model or selector moves (the exercise
models to `exercises`, say), only these imports change."""

from __future__ import annotations

from accounts.access import access_own_patient, access_patient, patient_read_log
from accounts.api import require_recent_authentication
from accounts.authentication import signed_in
from accounts.models import CareTeamMember, Clinic, PatientProfile, Role, User
from accounts.permissions import IsClinicStaff, IsPatient
from accounts.phi import phi_access_record
from accounts.scoping import clinic_staff_visible_to, patients_visible_to, scope_to_visible_patients
from dashboards.outcomes import outcomes, outcomes_procedure
from dashboards.series import series_daily, series_weekly
from dashboards.timeline import timeline
from exercises.models import ExercisePlan, Prescription, PrescriptionVersion
from exercises.selectors import exercise_adherence, exercise_plan_of, prescriptions_in_plan_order
from recovery import instruments
from recovery.content.protocol_default import SYMPTOMS
from recovery.content.red_flags import RED_FLAG_QUESTIONS
from recovery.display import round_half_up
from recovery.models import (
    SERIOUS_GRADES,
    AdverseEvent,
    AdverseEventStatus,
    Alert,
    AlertState,
    Assessment,
    CheckIn,
    Medication,
    PatientMilestone,
    Procedure,
    ProcedureStatus,
    Side,
)
from recovery.rules import RULE_SET_VERSION
from recovery.safety_selectors import adverse_events_of
from recovery.selectors import procedures_of

__all__ = [
    "RED_FLAG_QUESTIONS",
    "RULE_SET_VERSION",
    "SERIOUS_GRADES",
    "SYMPTOMS",
    "AdverseEvent",
    "AdverseEventStatus",
    "Alert",
    "AlertState",
    "Assessment",
    "CareTeamMember",
    "CheckIn",
    "Clinic",
    "ExercisePlan",
    "IsClinicStaff",
    "IsPatient",
    "Medication",
    "PatientMilestone",
    "PatientProfile",
    "Prescription",
    "PrescriptionVersion",
    "Procedure",
    "ProcedureStatus",
    "Role",
    "Side",
    "User",
    "access_own_patient",
    "access_patient",
    "adverse_events_of",
    "clinic_staff_visible_to",
    "exercise_adherence",
    "exercise_plan_of",
    "instruments",
    "outcomes",
    "outcomes_procedure",
    "patient_read_log",
    "patients_visible_to",
    "phi_access_record",
    "prescriptions_in_plan_order",
    "procedures_of",
    "require_recent_authentication",
    "round_half_up",
    "scope_to_visible_patients",
    "series_daily",
    "series_weekly",
    "signed_in",
    "timeline",
]
