from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercises"

    def ready(self) -> None:
        from accounts.exports import export_section_register
        from accounts.management.commands.seed_demo import demo_seeded
        from exercises import exports, receivers, schema, triggers  # noqa: F401  (OpenAPI extensions register on import)
        from exercises.demo import demo_exercises_seed
        from recovery import signals
        from recovery.triggers import trigger_reader_register

        export_section_register("exercise_plans", exports.exercise_plans_export)
        export_section_register("exercise_records", exports.exercise_records_export)
        signals.procedure_completed.connect(receivers.on_procedure_completed, dispatch_uid="exercises-procedure-done")
        signals.alert_reviewed.connect(receivers.on_alert_reviewed, dispatch_uid="exercises-alert-reviewed")
        trigger_reader_register("exercise", triggers.exercise_trigger)
        demo_seeded.connect(demo_exercises_seed, dispatch_uid="exercises-demo")
