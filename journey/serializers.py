"""HTTP shapes of the journey: preparation (countdown, checklist, baseline) and education. Inputs refuse unknown
fields; patients, procedures and timestamps are never client-writable."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.inputs import StrictInputSerializer
from journey.content.education_default import STAGES
from journey.models import ArticleRead, BloodThinnerPlan
from journey.selectors import stage_label

MAX_BLOOD_THINNERS = 10

# --- Preparation ------------------------------------------------------------------------------------------------------


class MedicineOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    medicine = serializers.CharField()
    stop_on = serializers.DateField()
    restart_on = serializers.DateField(allow_null=True)


class ChecklistItemOut(serializers.Serializer[Any]):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=("everyone", "diabetes", "sedation", "arrival", "medicine"))
    title = serializers.CharField()
    text = serializers.CharField()
    due_on = serializers.DateField(help_text="The last day to have it done.")
    done_at = serializers.DateTimeField(allow_null=True)
    medicine = MedicineOut(required=False, help_text="For a blood thinner: the clinic's plan.")


class BaselineOut(serializers.Serializer[Any]):
    instruments = serializers.ListField(child=serializers.CharField())
    done = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())


class UpcomingProcedureOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    procedure_date = serializers.DateField()
    anaesthesia = serializers.CharField()
    arrival_time = serializers.TimeField(allow_null=True, format="%H:%M")


class PreparationOut(serializers.Serializer[Any]):
    procedure = UpcomingProcedureOut(allow_null=True)
    days_to_go = serializers.IntegerField(allow_null=True)
    countdown = serializers.CharField(allow_null=True, help_text='"Your procedure is in 6 days".')
    items = ChecklistItemOut(many=True)
    open = serializers.IntegerField(help_text="Items not done yet.")
    baseline = BaselineOut(allow_null=True)


class TickIn(StrictInputSerializer):
    done = serializers.BooleanField()


class TickOut(serializers.Serializer[Any]):
    key = serializers.CharField(source="item_key")
    done = serializers.SerializerMethodField()
    done_at = serializers.DateTimeField(allow_null=True)

    def get_done(self, result: Any) -> bool:
        return result.done_at is not None


class BloodThinnerIn(StrictInputSerializer):
    id = serializers.UUIDField(required=False, allow_null=True, help_text="Send it back to change a medicine.")
    medicine = serializers.CharField(max_length=120)
    stop_on = serializers.DateField(help_text="The first day without it; on or before the procedure date.")
    restart_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PreparationPlanIn(StrictInputSerializer):
    arrival_time = serializers.TimeField(allow_null=True, help_text="HH:MM on the procedure day, patient's time.")
    blood_thinners = serializers.ListField(child=BloodThinnerIn(), max_length=MAX_BLOOD_THINNERS)


class BloodThinnerOut(serializers.ModelSerializer[BloodThinnerPlan]):
    class Meta:
        model = BloodThinnerPlan
        fields = ("id", "medicine", "stop_on", "restart_on", "note", "created_at")


class ProcedurePreparationOut(PreparationOut):
    blood_thinners = BloodThinnerOut(many=True)
    protocol_version = serializers.IntegerField()


# --- Education --------------------------------------------------------------------------------------------------------


class ArticleOut(serializers.Serializer[Any]):
    """An article in the reader's language (English where the library has no translation)."""

    key = serializers.CharField(source="article.key")
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    stages = serializers.ListField(child=serializers.CharField(), source="article.stages")
    stage_labels = serializers.SerializerMethodField(help_text="The stages as the reader reads them.")
    read_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the patient read this text: in this version of the library, or in an earlier one where the "
        "article was word for word the same.",
    )
    earlier_version_read_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the patient read an earlier text of this article, now changed (read_at is then null: the "
        "article is offered again).",
    )

    def get_title(self, obj: Any) -> str:
        return str(obj["article"].text("title"))

    def get_summary(self, obj: Any) -> str:
        return str(obj["article"].text("summary"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_body(self, obj: Any) -> list[str]:
        return list(obj["article"].text("body"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_stage_labels(self, obj: Any) -> list[str]:
        return [stage_label(stage) for stage in obj["article"].stages]


class LibraryOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    version = serializers.IntegerField()


class EducationOut(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=STAGES)
    stage_label = serializers.CharField(help_text='Where the patient is, in their language ("The first weeks").')
    library = LibraryOut()
    due = ArticleOut(many=True, help_text="Offered now, at this stage of the journey.")
    other = ArticleOut(many=True)


class ArticleReadOut(serializers.Serializer[Any]):
    key = serializers.CharField(source="article.key")
    title = serializers.SerializerMethodField()
    library_version = serializers.IntegerField(source="article.library.version")
    read_at = serializers.DateTimeField()

    def get_title(self, obj: ArticleRead) -> str:
        return str(obj.article.text("title"))


class PatientEducationOut(EducationOut):
    reads = ArticleReadOut(many=True, help_text="Every article read, of any library version, oldest first.")
