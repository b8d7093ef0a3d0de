from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "journey"
    verbose_name = "Journey"

    def ready(self) -> None:
        from accounts.exports import export_section_register
        from accounts.management.commands.seed_demo import demo_seeded
        from journey import exports
        from journey.demo import demo_journey_seed

        export_section_register("preparation", exports.preparation_export)
        export_section_register("education_reads", exports.education_reads_export)
        demo_seeded.connect(demo_journey_seed, dispatch_uid="journey-demo")
