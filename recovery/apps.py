from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = "Recovery"

    def ready(self) -> None:
        from accounts.exports import export_section_register
        from accounts.management.commands.seed_demo import demo_seeded
        from recovery import exports
        from recovery.demo import demo_recovery_seed

        export_section_register("procedures", exports.procedures_export)
        export_section_register("checkins", exports.checkins_export)
        export_section_register("assessments", exports.assessments_export)
        export_section_register("alerts", exports.alerts_export)
        export_section_register("screenings", exports.screenings_export)
        export_section_register("adverse_events", exports.adverse_events_export)
        demo_seeded.connect(demo_recovery_seed, dispatch_uid="recovery-demo")
