"""What a patient is told about the expected course of recovery on their progress screen, as versioned content.

Source: /work/shared/CLINICAL.md, "The recovery protocol" (significant symptom improvement is expected within 6-8
weeks) and "Pivotal trial" (recovery.content.trial: the MILD arm's mean improvement at 2 years). Patient-facing text
for readers aged 60-85. A change of wording or of the window means a new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

PROGRESS_CONTENT_VERSION: Final = 1
# The window in which most people notice a clear improvement: weeks 6 to 8 after the procedure, in days.
CLEAR_IMPROVEMENT_FROM_DAY: Final = 42
CLEAR_IMPROVEMENT_TO_DAY: Final = 56
CLEAR_IMPROVEMENT_LABEL: Final = "Most people feel clearly better by weeks 6 to 8"
COURSE_BEFORE: Final = "Most people notice a clear improvement 6 to 8 weeks after the procedure. Today is day {day}."
COURSE_DURING: Final = (
    "Today is day {day}: most people notice a clear improvement around now, 6 to 8 weeks after the procedure."
)
COURSE_AFTER: Final = (
    "Most people notice a clear improvement 6 to 8 weeks after the procedure, and it usually lasts: the main study of "
    "MILD followed patients for 2 years. Today is day {day}."
)
# {improvement} and {expected} are numbers as shown (rounded for display only).
TRIAL_PAIN: Final = (
    "In the main study of MILD, pain was on average {improvement} points lower 2 years after the procedure than "
    "before it. For your {measure}, that would be about {expected} out of 10."
)

# Every text above in the other languages, frozen with the version and with the same placeholders.
TRANSLATIONS: Final[Mapping[str, Mapping[str, str]]] = {
    "es": {
        "CLEAR_IMPROVEMENT_LABEL": "La mayoría de las personas se siente claramente mejor entre las semanas 6 y 8",
        "COURSE_BEFORE": (
            "La mayoría de las personas nota una clara mejoría entre 6 y 8 semanas después del procedimiento. "
            "Hoy es el día {day}."
        ),
        "COURSE_DURING": (
            "Hoy es el día {day}. La mayoría de las personas nota una clara mejoría por estos días, entre 6 y 8 "
            "semanas después del procedimiento."
        ),
        "COURSE_AFTER": (
            "La mayoría de las personas nota una clara mejoría entre 6 y 8 semanas después del procedimiento, y "
            "suele durar: el estudio principal de MILD siguió a los pacientes durante 2 años. Hoy es el día {day}."
        ),
        "TRIAL_PAIN": (
            "En el estudio principal de MILD, el dolor bajó en promedio {improvement} puntos 2 años después del "
            "procedimiento, comparado con antes. Para su {measure}, eso sería cerca de {expected} de 10."
        ),
    },
}
TEXTS: Final = ("CLEAR_IMPROVEMENT_LABEL", "COURSE_BEFORE", "COURSE_DURING", "COURSE_AFTER", "TRIAL_PAIN")
