"""The patient's journey before the procedure and the education library.

- PreparationProtocol: one immutable version of a preparation checklist (the shipped default has no clinic; a clinic
  may have its own versions). ProcedurePreparation: what the clinic decided for one scheduled procedure (arrival
  time, the checklist version it follows) and BloodThinnerPlan: each blood thinner with its stop and restart dates.
  PreparationTick: an item the patient ticked.
- EducationLibrary / EducationArticle: one immutable version of the article library; ArticleRead: the patient read
  an article (once).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, Value

from accounts.languages import localized
from accounts.models import Clinic, PatientProfile
from recovery.models import Procedure


class PreparationProtocol(models.Model):
    """One version of a preparation checklist: `items` and `medicine_item` as journey.content.preparation_default
    describes them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="preparation_protocols"
    )
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The version this one was copied or revised from (null: a shipped default).",
    )  # fmt: skip
    change_note = models.CharField(max_length=500, blank=True)
    items = models.JSONField(default=list)
    medicine_item = models.JSONField(default=dict)
    translations = models.JSONField(
        default=dict,
        db_default=Value({}, output_field=models.JSONField()),  # rows written by older data migrations, too
        blank=True,
        help_text="Other languages, frozen with the version: {'es': {'items': {<key>: {'title', 'text', "
        "'text_pending'}}, 'medicine_item': {'title', 'text', 'text_no_restart'}}}.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The clinic admin who saved this version (null: a shipped default).",
    )  # fmt: skip

    class Meta:
        ordering = ("clinic_id", "-version")
        constraints = [
            models.UniqueConstraint(fields=("clinic", "version"), name="preparation_version_unique_per_clinic"),
            models.UniqueConstraint(
                fields=("version",), condition=Q(clinic__isnull=True), name="preparation_default_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ProcedurePreparation(models.Model):
    """The clinic's preparation plan for one procedure. Made when the clinician first enters the plan or the patient
    first ticks an item; the checklist version is fixed then, so later versions do not change a patient's list."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, primary_key=True, related_name="preparation")
    protocol = models.ForeignKey(PreparationProtocol, on_delete=models.PROTECT, related_name="+")
    arrival_time = models.TimeField(null=True, blank=True, help_text="On the procedure day, in the patient's zone.")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Preparation for {self.procedure_id}"


class BloodThinnerPlan(models.Model):
    """One blood thinner or antiplatelet medicine: when the clinic asks the patient to stop and restart it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="blood_thinner_plans")
    medicine = models.CharField(max_length=120)
    stop_on = models.DateField(help_text="The first day without it, in the patient's zone.")
    restart_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("stop_on", "medicine")
        constraints = [
            models.CheckConstraint(
                condition=Q(restart_on__isnull=True) | Q(restart_on__gte=models.F("stop_on")),
                name="blood_thinner_restart_after_stop",
            )
        ]

    def __str__(self) -> str:
        return f"{self.medicine}: stop {self.stop_on}"

    @property
    def item_key(self) -> str:
        return f"medicine-{self.pk}"


class PreparationTick(models.Model):
    """The patient ticked one checklist item of one procedure (a protocol item's key, or medicine-<plan id>)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="preparation_ticks")
    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="preparation_ticks")
    item_key = models.CharField(max_length=80)
    done_at = models.DateTimeField()

    class Meta:
        ordering = ("procedure", "done_at")
        constraints = [models.UniqueConstraint(fields=("procedure", "item_key"), name="preparation_tick_once_per_item")]

    def __str__(self) -> str:
        return f"{self.item_key} done at {self.done_at}"


class EducationLibrary(models.Model):
    """One immutable version of the article library (the shipped default has no clinic)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="education_libraries"
    )
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The version this one was copied or revised from (null: a shipped default).",
    )  # fmt: skip
    change_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The clinic admin who saved this version (null: a shipped default).",
    )  # fmt: skip

    class Meta:
        verbose_name_plural = "education libraries"
        ordering = ("clinic_id", "-version")
        constraints = [
            models.UniqueConstraint(fields=("clinic", "version"), name="education_version_unique_per_clinic"),
            models.UniqueConstraint(
                fields=("version",), condition=Q(clinic__isnull=True), name="education_default_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class EducationArticle(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    library = models.ForeignKey(EducationLibrary, on_delete=models.CASCADE, related_name="articles")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.JSONField(default=list, help_text="Paragraphs.")
    stages = models.JSONField(default=list, help_text="Journey stages at which it is offered.")
    position = models.PositiveSmallIntegerField()
    # Other languages, frozen with the version; the database default lets older data migrations add rows too.
    translations = models.JSONField(
        default=dict,
        db_default=Value({}, output_field=models.JSONField()),
        blank=True,
        help_text="Other languages: {'es': {'title', 'summary', 'body': [...]}}.",
    )

    class Meta:
        ordering = ("library", "position")
        constraints = [models.UniqueConstraint(fields=("library", "key"), name="education_article_key_unique")]

    def __str__(self) -> str:
        return self.title

    def text(self, field: str) -> Any:
        """A text field (title, summary, body) in the active language; English where it has no translation."""
        return localized(getattr(self, field), self.translations, field)


class ArticleRead(models.Model):
    """The patient opened an article and read it; recorded once per article version."""

    patient = models.ForeignKey(PatientProfile, on_delete=models.PROTECT, related_name="article_reads")
    article = models.ForeignKey(EducationArticle, on_delete=models.PROTECT, related_name="reads")
    read_at = models.DateTimeField()

    class Meta:
        ordering = ("read_at",)
        constraints = [models.UniqueConstraint(fields=("patient", "article"), name="article_read_once")]

    def __str__(self) -> str:
        return f"{self.article_id} read at {self.read_at}"
