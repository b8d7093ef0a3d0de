"""Before and after the procedure, for the clinician: the candidate screening of a procedure episode, and the adverse
events recorded against it (CLINICAL.md, "Before the procedure" and "Adverse events").

A procedure is marked done only with a screening whose outcome is "candidate", or with a clinician's override and its
reason, which are kept on the procedure (recovery.safety.procedure_screening_check).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import PatientProfile
from recovery.models.core import CheckIn, Procedure


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Unknown"


class ImagingModality(models.TextChoices):
    MRI = "mri", "MRI"
    CT = "ct", "CT"


class ScreeningOutcome(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    NEEDS_REVIEW = "needs_review", "Needs review"
    NOT_CANDIDATE = "not_candidate", "Not a candidate"


# Where a procedure stands on screening: none yet, marked done by a clinician's override, or a screening's outcome.
SCREENING_STATUSES = ["none", "override", *ScreeningOutcome.values]


class ConservativeCare(models.TextChoices):
    PHYSICAL_THERAPY = "physical_therapy", "Physical therapy"
    MEDICATION = "medication", "Medication"
    EPIDURAL_INJECTIONS = "epidural_injections", "Epidural injections"


# The cautions of the screening (each answered yes / no / unknown, with a note), in the order the form asks them.
# Field name -> label. A "candidate" outcome with a caution answered yes needs that caution's note.
CAUTIONS: dict[str, str] = {
    "heart_disease": "Severe heart disease",
    "uncontrolled_diabetes": "Uncontrolled diabetes",
    "spinal_instability": "Spinal instability or significant spondylolisthesis",
    "previous_spinal_surgery": "Previous spinal surgery at the level",
}


def _answer_field(help_text: str) -> models.CharField[str, str]:
    return models.CharField(max_length=8, choices=Answer.choices, help_text=help_text)


class Screening(models.Model):
    """One candidate screening of a procedure episode: the selection criteria, the cautions and the outcome, and who
    decided it when. A re-screening is a new row: the episode keeps every screening (its history), and the latest
    (Procedure.screening) decides whether the procedure may be marked done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="screenings")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="screenings")
    # Criteria.
    stenosis_confirmed = _answer_field("Lumbar spinal stenosis confirmed on MRI or CT.")
    imaging_modality = models.CharField(max_length=4, choices=ImagingModality.choices, blank=True)
    imaging_date = models.DateField(null=True, blank=True)
    claudication = _answer_field("Worse standing or walking, eased by sitting or bending forward.")
    conservative_care_failed = _answer_field("Conservative care tried and failed.")
    conservative_care = models.JSONField(
        default=list, help_text="What was tried and for how long: [{treatment, weeks, note}]."
    )
    # Cautions (CAUTIONS), each with a note.
    heart_disease = _answer_field(CAUTIONS["heart_disease"])
    heart_disease_note = models.CharField(max_length=500, blank=True)
    uncontrolled_diabetes = _answer_field(CAUTIONS["uncontrolled_diabetes"])
    uncontrolled_diabetes_note = models.CharField(max_length=500, blank=True)
    spinal_instability = _answer_field(CAUTIONS["spinal_instability"])
    spinal_instability_note = models.CharField(max_length=500, blank=True)
    previous_spinal_surgery = _answer_field(CAUTIONS["previous_spinal_surgery"])
    previous_spinal_surgery_note = models.CharField(max_length=500, blank=True)
    # A risk factor that is not a caution by itself: any diabetes (raises the infection risk).
    diabetes = _answer_field("Diabetes, controlled or not.")
    outcome = models.CharField(max_length=16, choices=ScreeningOutcome.choices)
    note = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-decided_at",)
        indexes = [models.Index(fields=("patient", "outcome")), models.Index(fields=("procedure", "-decided_at"))]

    def __str__(self) -> str:
        return f"Screening {self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"


class AdverseEventKind(models.TextChoices):
    INFECTION = "infection", "Infection"
    BLEEDING = "bleeding", "Bleeding or haematoma"
    NERVE_INJURY = "nerve_injury", "Nerve injury"
    DURAL_TEAR = "dural_tear", "Dural tear"
    OTHER = "other", "Other"


class ClavienDindo(models.TextChoices):
    """The Clavien-Dindo classification (Dindo, Demartines, Clavien, Ann Surg 2004;240:205-13), with its subgrades."""

    I = "I", "Grade I"  # noqa: E741 (the grade's name)
    II = "II", "Grade II"
    IIIA = "IIIa", "Grade IIIa"
    IIIB = "IIIb", "Grade IIIb"
    IVA = "IVa", "Grade IVa"
    IVB = "IVb", "Grade IVb"
    V = "V", "Grade V"


# Grades III and above: an intervention, intensive care or death.
SERIOUS_GRADES = (ClavienDindo.IIIA, ClavienDindo.IIIB, ClavienDindo.IVA, ClavienDindo.IVB, ClavienDindo.V)


class Relatedness(models.TextChoices):
    DEVICE = "device", "Device-related"
    PROCEDURE = "procedure", "Procedure-related"
    NOT_RELATED = "not_related", "Not related"
    UNKNOWN = "unknown", "Not yet known"


# "Device- or procedure-related", the pivotal trial's measure.
RELATED = (Relatedness.DEVICE, Relatedness.PROCEDURE)


class AdverseEventOutcome(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    RESOLVED = "resolved", "Resolved"
    RESOLVED_WITH_SEQUELAE = "resolved_with_sequelae", "Resolved with lasting effects"
    FATAL = "fatal", "Fatal"
    UNKNOWN = "unknown", "Unknown"


class AdverseEventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECORDED = "recorded", "Recorded"
    DISMISSED = "dismissed", "Dismissed"


class AdverseEvent(models.Model):
    """An adverse event after a procedure episode. Clinicians record them; a patient's "yes" to the weekly question
    about emergency visits and hospital stays opens a draft (from `checkin`) that a clinician completes or dismisses.
    Only recorded events count in the rates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="adverse_events")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="adverse_events")
    status = models.CharField(max_length=10, choices=AdverseEventStatus.choices, default=AdverseEventStatus.RECORDED)
    # Empty only on drafts.
    kind = models.CharField(max_length=16, choices=AdverseEventKind.choices, blank=True)
    kind_other = models.CharField(max_length=200, blank=True, help_text="What it was, when the kind is 'other'.")
    grade = models.CharField(max_length=4, choices=ClavienDindo.choices, blank=True)
    onset_date = models.DateField(null=True, blank=True, help_text="In the patient's time zone.")
    resolved_date = models.DateField(null=True, blank=True)
    relatedness = models.CharField(max_length=12, choices=Relatedness.choices, blank=True)
    outcome = models.CharField(max_length=24, choices=AdverseEventOutcome.choices, blank=True)
    emergency_visit = models.BooleanField(default=False)
    hospital_admission = models.BooleanField(default=False)
    further_surgery = models.BooleanField(default=False)
    description = models.TextField(blank=True, max_length=4000)
    # The check-in whose answer opened the draft; one draft per check-in.
    checkin = models.OneToOneField(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="adverse_event_draft"
    )
    created_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("procedure", "status"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="recorded")
                | (~Q(kind="") & ~Q(grade="") & Q(onset_date__isnull=False) & ~Q(relatedness="") & ~Q(outcome="")),
                name="adverse_event_recorded_complete",
            ),
            models.CheckConstraint(
                condition=Q(resolved_date__isnull=True) | Q(resolved_date__gte=models.F("onset_date")),
                name="adverse_event_resolved_after_onset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'Draft adverse event'} ({self.status})"

    @property
    def related(self) -> bool:
        return self.relatedness in RELATED


__all__ = [
    "CAUTIONS",
    "RELATED",
    "SCREENING_STATUSES",
    "SERIOUS_GRADES",
    "AdverseEvent",
    "AdverseEventKind",
    "AdverseEventOutcome",
    "AdverseEventStatus",
    "Answer",
    "ClavienDindo",
    "ConservativeCare",
    "ImagingModality",
    "Relatedness",
    "Screening",
    "ScreeningOutcome",
]
