"""Installs the shipped default recovery protocol (version 1) from recovery.content.protocol_default.

Later changes to the default ship as new data migrations creating version 2, 3, ...; procedures keep the version they
started on.
"""

from django.db import migrations

from recovery.content import protocol_default as content


def install(apps, schema_editor):
    Protocol = apps.get_model("recovery", "Protocol")
    ProtocolPhase = apps.get_model("recovery", "ProtocolPhase")
    ProtocolMilestone = apps.get_model("recovery", "ProtocolMilestone")
    if Protocol.objects.filter(clinic__isnull=True, version=1).exists():
        return
    protocol = Protocol.objects.create(
        clinic=None, name=content.PROTOCOL_NAME, version=1, change_note=content.PROTOCOL_VERSION_NOTE
    )
    ProtocolPhase.objects.bulk_create(
        ProtocolPhase(
            protocol=protocol,
            key=p.key,
            title=p.title,
            start_day=p.start_day,
            end_day=p.end_day,
            summary=p.summary,
            instructions=list(p.instructions),
            avoid=list(p.avoid),
        )
        for p in content.PHASES
    )
    ProtocolMilestone.objects.bulk_create(
        ProtocolMilestone(
            protocol=protocol,
            key=m.key,
            title=m.title,
            kind=m.kind,
            open_day=m.open_day,
            target_day=m.target_day,
            close_day=m.close_day,
            assessments=list(m.assessments),
            optional=m.optional,
            # Optional follow-ups (3 months) are a clinic option: off in the default, a clinic turns it on in its copy.
            enabled=not m.optional,
            patient_text=m.patient_text,
        )
        for m in content.MILESTONES
    )


def uninstall(apps, schema_editor):
    apps.get_model("recovery", "Protocol").objects.filter(clinic__isnull=True, version=1, procedures__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("recovery", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
