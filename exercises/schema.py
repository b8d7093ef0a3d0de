"""OpenAPI description of a dose: exactly one of its three styles, as DoseIn enforces, so clients and schemathesis
generate only doses the server accepts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension

from recovery.content.exercises_default import DOSE_STYLES


class DoseInScheme(OpenApiSerializerExtension):
    target_class = "exercises.serializers.DoseIn"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        fields = self.target.fields
        bounds = {
            name: {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
            for name, field in fields.items()
        }
        return {
            "description": "Exactly one style: sets and reps; sets, hold_seconds and reps; or minutes.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {name: bounds[name] for name in sorted(style)},
                    "required": sorted(style),
                    "additionalProperties": False,
                }
                for style in DOSE_STYLES
            ],
        }
