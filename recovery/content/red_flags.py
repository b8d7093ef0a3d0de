"""The red-flag rule set: the warning-sign questions of the daily check-in, what a patient is told to do after a
"yes", and the alert rules with their clinician-facing explanations. Versioned: the questions and their wording belong
to a rule set version, and every alert records the version that raised it (recovery.rules).

Version 2 (this module) asks about new numbness, tingling or weakness in a leg however slowly it came on (it replaces
version 1's question on numbness and tingling), a wound bleeding through its dressing, and a possible spinal fluid
leak, and raises a watch alert when leg weakness is ticked among the symptoms without a red-flag answer. Version 1 is
frozen in recovery.content.red_flags_v1. Changing a question, an instruction or what a rule decides means a new
version: freeze this one next to version 1 first.

Source: /work/shared/CLINICAL.md, "Risks and warning signs". Patient-facing text is for readers aged 60-85.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

from recovery.content import red_flags_v1
from recovery.content.protocol_default import (
    EXERCISE_PAIN_SCORE,
    EXERCISE_PAIN_SESSIONS,
    FEVER_CELSIUS,
    FEVER_FAHRENHEIT,
    HIGH_PAIN_DAYS,
    HIGH_PAIN_SCORE,
    NO_CHECKIN_DAYS,
    PAIN_RISE_DAYS,
    PAIN_RISE_POINTS,
    WOUND_DRAINAGE_DAY,
    AlertRule,
    RedFlagQuestion,
    RedFlagTier,
    TierInstruction,
)
from recovery.instruments import ODI_MCID, PAIN_MCID

RULE_SET_VERSION: Final = 2

# ---------------------------------------------------------------------------------------------------------------------
# Red flags: one yes/no question per warning sign in the emergency and urgent tiers. Asked at every daily check-in.
# ---------------------------------------------------------------------------------------------------------------------

RED_FLAG_QUESTIONS: Final[tuple[RedFlagQuestion, ...]] = (
    # Emergency: go to the emergency department now.
    RedFlagQuestion(
        key="bladder_bowel_control",
        tier="emergency",
        question=(
            "Since your last check-in, have you lost control of your bladder or bowels, or been unable to pass urine?"
        ),
        help_text="This means wetting or soiling yourself without warning, or needing to pass urine but nothing comes.",
        translations={
            "es": {
                "question": (
                    "Desde su último registro, ¿ha perdido el control de la orina o de las heces, o no ha podido "
                    "orinar?"
                ),
                "help_text": (
                    "Esto quiere decir que se orina o se ensucia sin aviso, o que tiene ganas de orinar pero no sale "
                    "nada."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="saddle_numbness",
        tier="emergency",
        question="Have you had new numbness between your legs or around your bottom?",
        help_text="This is the area that would touch a bicycle seat. It may feel numb, dead or strange to touch.",
        translations={
            "es": {
                "question": "¿Ha sentido un adormecimiento nuevo entre las piernas o alrededor de las nalgas?",
                "help_text": (
                    "Es la zona que tocaría el asiento de una bicicleta. Puede sentirse dormida, sin sensación o rara "
                    "al tacto."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="sudden_leg_weakness",
        tier="emergency",
        question="Has one or both of your legs suddenly become weak, or is leg weakness getting worse quickly?",
        help_text="For example, your foot drags or slaps down, or your leg gives way when you stand.",
        translations={
            "es": {
                "question": "¿Se le ha debilitado de repente una pierna o las dos, o la debilidad empeora rápido?",
                "help_text": (
                    "Por ejemplo, arrastra el pie o el pie golpea el suelo, o la pierna se le dobla al ponerse de pie."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="chest_pain_breathless",
        tier="emergency",
        question="Have you had chest pain, or suddenly become short of breath?",
        help_text="Short of breath means you cannot catch your breath, even when you rest.",
        translations={
            "es": {
                "question": "¿Ha tenido dolor en el pecho, o de repente le ha faltado el aire?",
                "help_text": (
                    "Que le falte el aire quiere decir que no puede recuperar el aliento, ni siquiera en reposo."
                ),
            }
        },
    ),
    # Urgent: call the clinic within 24 hours.
    RedFlagQuestion(
        key="fever_chills",
        tier="urgent",
        question=(
            f"Have you had a temperature above {FEVER_CELSIUS:.1f} °C ({FEVER_FAHRENHEIT:.1f} °F), or chills "
            "(shivering and feeling very cold)?"
        ),
        help_text="If you have a thermometer, check your temperature when you feel hot or shivery.",
        translations={
            "es": {
                "question": (
                    f"¿Ha tenido una temperatura de más de {FEVER_CELSIUS:.1f} °C ({FEVER_FAHRENHEIT:.1f} °F), o "
                    "escalofríos (temblar y sentir mucho frío)?"
                ),
                "help_text": (
                    "Si tiene un termómetro, tómese la temperatura cuando se sienta caliente o con escalofríos."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="wound_problem",
        tier="urgent",
        question=(
            "Is the small wound on your back red, hot or swollen, or leaking cloudy or bad-smelling fluid? "
            f"Or is it still leaking any fluid {WOUND_DRAINAGE_DAY} or more days after your procedure?"
        ),
        help_text=(
            "Mild soreness and bruising in the first few days is common. "
            "We mean redness, heat or swelling that is getting worse."
        ),
        translations={
            "es": {
                "question": (
                    "¿La pequeña herida de su espalda está roja, caliente o hinchada, o le sale un líquido turbio o "
                    f"con mal olor? ¿O todavía le sale algún líquido {WOUND_DRAINAGE_DAY} días o más después de su "
                    "procedimiento?"
                ),
                "help_text": (
                    "Es común tener un poco de dolor y moretones los primeros días. Nos referimos a enrojecimiento, "
                    "calor o hinchazón que empeora."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="wound_bleeding",
        tier="urgent",
        question="Has the small wound on your back bled through the dressing?",
        help_text=(
            "A little blood on the dressing on the first day is common. "
            "We mean blood that soaks through the dressing, or bleeding that starts again after you change it."
        ),
        translations={
            "es": {
                "question": (
                    "¿La pequeña herida de su espalda ha sangrado tanto que la sangre pasó a través del vendaje?"
                ),
                "help_text": (
                    "Es común ver un poco de sangre en el vendaje el primer día. Nos referimos a sangre que empapa el "
                    "vendaje, o a un sangrado que vuelve después de cambiarlo."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="spinal_fluid_leak",
        tier="urgent",
        question=(
            "Is clear, watery fluid coming from the wound? Or do you have a headache that is worse when you sit or "
            "stand, and better lying down?"
        ),
        help_text="This can be a sign of a small leak of the fluid around the spine. Your clinic needs to check it.",
        translations={
            "es": {
                "question": (
                    "¿Le sale de la herida un líquido claro, como agua? ¿O tiene un dolor de cabeza que empeora al "
                    "sentarse o ponerse de pie, y mejora al acostarse?"
                ),
                "help_text": (
                    "Puede ser señal de una pequeña fuga del líquido que rodea la columna. Su clínica necesita "
                    "revisarlo."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="leg_numbness_weakness",
        tier="urgent",
        question="Do you have new numbness, tingling or weakness in a leg or foot, even if it came on slowly?",
        help_text=(
            "New means you did not have it before your procedure, or it has spread or got worse. "
            "If a leg suddenly became weak, answer yes to the question about sudden weakness too."
        ),
        translations={
            "es": {
                "question": (
                    "¿Tiene un adormecimiento, hormigueo o debilidad nueva en una pierna o un pie, aunque haya "
                    "empezado poco a poco?"
                ),
                "help_text": (
                    "Nueva quiere decir que no la tenía antes de su procedimiento, o que se ha extendido o empeorado. "
                    "Si una pierna se debilitó de repente, responda que sí también a la pregunta sobre la debilidad "
                    "repentina."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="calf_pain_swelling",
        tier="urgent",
        question="Do you have pain or swelling in the calf, or is one leg more swollen than the other?",
        help_text="The calf is the back of your lower leg. This can be a sign of a blood clot, so it needs checking.",
        translations={
            "es": {
                "question": "¿Tiene dolor o hinchazón en la pantorrilla, o una pierna está más hinchada que la otra?",
                "help_text": (
                    "La pantorrilla es la parte de atrás de la pierna, debajo de la rodilla. Puede ser señal de un "
                    "coágulo de sangre, por eso hay que revisarla."
                ),
            }
        },
    ),
    RedFlagQuestion(
        key="pain_uncontrolled",
        tier="urgent",
        question="Is your pain so bad that the medicine your clinic gave you is not helping?",
        help_text=None,
        translations={
            "es": {
                "question": "¿Tiene tanto dolor que la medicina que le dio su clínica no le ayuda?",
                "help_text": None,
            }
        },
    ),
    RedFlagQuestion(
        key="fall",
        tier="urgent",
        question="Have you had a fall since your last check-in?",
        help_text="Please tell us even if you do not think you were hurt.",
        translations={
            "es": {
                "question": "¿Se ha caído desde su último registro?",
                "help_text": "Por favor, avísenos aunque crea que no se lastimó.",
            }
        },
    ),
)

# What the patient sees after answering "yes". Both texts are str.format templates with three placeholders:
# {clinic_name}, {clinic_phone} and {emergency_number}. The clinic's phone and emergency number are never blank
# (database constraints on accounts.Clinic), so no text can read "call ... on ." any more.
TIER_INSTRUCTIONS: Final[Mapping[RedFlagTier, TierInstruction]] = {
    "emergency": TierInstruction(
        tier="emergency",
        title="Get emergency help now",
        text=(
            "Call {emergency_number} now, or have someone take you to the nearest emergency department. "
            "Do not drive yourself. Do not wait for the clinic to call you. "
            "Tell them you recently had a MILD procedure on your lower back."
        ),
        translations={
            "es": {
                "title": "Pida ayuda de emergencia ahora",
                "text": (
                    "Llame ahora al {emergency_number}, o pida a alguien que lo lleve a la sala de emergencias más "
                    "cercana. No maneje usted. No espere a que la clínica lo llame. Diga que hace poco le hicieron un "
                    "procedimiento MILD en la parte baja de la espalda."
                ),
            }
        },
    ),
    "urgent": TierInstruction(
        tier="urgent",
        title="Call your clinic today",
        text=(
            "Please call {clinic_name} today on {clinic_phone}. Tell them what you told us here. "
            "If you cannot reach them within 24 hours, or you feel worse, go to the emergency department "
            "or call {emergency_number}."
        ),
        translations={
            "es": {
                "title": "Llame hoy a su clínica",
                "text": (
                    "Por favor, llame hoy a {clinic_name} al {clinic_phone}. Cuénteles lo que nos dijo aquí. Si no "
                    "puede comunicarse con ellos en 24 horas, o se siente peor, vaya a la sala de emergencias o llame "
                    "al {emergency_number}."
                ),
            }
        },
    ),
}

# ---------------------------------------------------------------------------------------------------------------------
# Alert rules, clinician-facing. The "watch" tier is reviewed at the next opportunity; every red-flag question has a
# rule with the same key and tier, raised when the patient answers "yes".
# ---------------------------------------------------------------------------------------------------------------------

# Every rule of this version; the name is historical (it holds the emergency and urgent rules too).
WATCH_RULES: Final[tuple[AlertRule, ...]] = (
    AlertRule(
        key="pain_above_baseline_3_days",
        title="Pain above baseline",
        tier="watch",
        explanation=(
            f"Back or leg pain (NPRS) was {PAIN_RISE_POINTS}+ points above the patient's pre-procedure baseline for "
            f"that site on {PAIN_RISE_DAYS} consecutive days. {PAIN_RISE_POINTS} points is the NPRS MCID."
        ),
    ),
    AlertRule(
        key="pain_8_plus_two_days",
        title="Severe pain two days running",
        tier="watch",
        explanation=(
            f"Back or leg pain (NPRS) was {HIGH_PAIN_SCORE} or more on {HIGH_PAIN_DAYS} consecutive days. "
            "Check analgesia and whether the patient needs to be seen."
        ),
    ),
    AlertRule(
        key="no_checkin_3_days",
        title="No check-in for 3 days",
        tier="watch",
        explanation=(
            f"No daily check-in for {NO_CHECKIN_DAYS} consecutive days while daily check-ins are expected. "
            "Older patients may be unwell, have fallen, or have trouble with the device; consider a call."
        ),
    ),
    AlertRule(
        key="milestone_overdue",
        title="Milestone overdue",
        tier="watch",
        explanation=(
            "A milestone or follow-up assessment was not completed by the last day of its window. "
            "Optional follow-ups count only when the clinic has turned them on."
        ),
    ),
    AlertRule(
        key="no_improvement_6_8_weeks",
        title="No meaningful improvement at 6-8 weeks",
        tier="watch",
        explanation=(
            f"At the 6-8 week milestone, ODI has not improved by {ODI_MCID}+ points and neither back nor leg "
            f"pain has improved by {PAIN_MCID}+ points from baseline. Significant improvement is usually "
            "expected by now; consider review of the diagnosis, imaging or further treatment."
        ),
    ),
    AlertRule(
        key="exercise_pain_7_plus_twice",
        title="Pain during an exercise, twice in a row",
        tier="watch",
        explanation=(
            f"Pain during the same prescribed exercise was {EXERCISE_PAIN_SCORE} or more (0-10) in "
            f"{EXERCISE_PAIN_SESSIONS} sessions in a row. Its progression is held: the patient stays on the current "
            "dose and the next phase's step-up waits until a clinician acknowledges this alert. Review the exercise "
            "and its dose."
        ),
    ),
    AlertRule(
        key="leg_weakness_symptom",
        title="Leg weakness reported",
        tier="watch",
        explanation=(
            "The patient ticked leg weakness among the daily check-in symptoms without answering yes to a leg "
            "weakness red-flag question. Raised once for each run of check-ins that report it (the trigger is the "
            "first check-in of the run). Ask whether it is new or worse, and check strength."
        ),
    ),
    # Emergency red flags.
    AlertRule(
        key="bladder_bowel_control",
        title="Bladder or bowel dysfunction",
        tier="emergency",
        explanation=(
            "Patient reported loss of bladder or bowel control or urinary retention. Possible cauda equina syndrome; "
            "the patient was told to go to the emergency department now."
        ),
        translations={"es": {"title": "Problemas para controlar la orina o las heces"}},
    ),
    AlertRule(
        key="saddle_numbness",
        title="Saddle anaesthesia",
        tier="emergency",
        explanation=(
            "Patient reported new numbness in the groin/saddle area. Possible cauda equina syndrome; "
            "the patient was told to go to the emergency department now."
        ),
        translations={"es": {"title": "Adormecimiento entre las piernas o en las nalgas"}},
    ),
    AlertRule(
        key="sudden_leg_weakness",
        title="Sudden or progressive leg weakness",
        tier="emergency",
        explanation=(
            "Patient reported sudden new or rapidly worsening weakness in one or both legs. Possible acute nerve "
            "compression (e.g. epidural haematoma); the patient was told to go to the emergency department now."
        ),
        translations={"es": {"title": "Debilidad en las piernas que llega de repente o empeora rápido"}},
    ),
    AlertRule(
        key="chest_pain_breathless",
        title="Chest pain or sudden breathlessness",
        tier="emergency",
        explanation=(
            "Patient reported chest pain or sudden shortness of breath. Possible cardiac event or pulmonary embolism; "
            "the patient was told to go to the emergency department now."
        ),
        translations={"es": {"title": "Dolor en el pecho o falta de aire repentina"}},
    ),
    # Urgent red flags.
    AlertRule(
        key="fever_chills",
        title="Fever or chills",
        tier="urgent",
        explanation=(
            f"Patient reported a temperature above {FEVER_CELSIUS:.1f} C ({FEVER_FAHRENHEIT:.1f} F) or chills. "
            "Possible wound or deep infection; higher risk in diabetes. The patient was told to call the clinic "
            "within 24 hours."
        ),
        translations={"es": {"title": "Fiebre o escalofríos"}},
    ),
    AlertRule(
        key="wound_problem",
        title="Wound problem",
        tier="urgent",
        explanation=(
            "Patient reported an incision that is red, hot, swollen or draining cloudy or foul fluid, or any drainage "
            f"from day {WOUND_DRAINAGE_DAY} after the procedure. Possible infection. The patient was told to call "
            "the clinic within 24 hours."
        ),
        translations={"es": {"title": "Un problema en la herida"}},
    ),
    AlertRule(
        key="wound_bleeding",
        title="Wound bleeding through the dressing",
        tier="urgent",
        explanation=(
            "Patient reported bleeding through the dressing at the access site. Possible bleeding or haematoma; check "
            "when anticoagulant or antiplatelet medicines were restarted. The patient was told to call the clinic "
            "within 24 hours."
        ),
        translations={"es": {"title": "La herida sangra a través del vendaje"}},
    ),
    AlertRule(
        key="spinal_fluid_leak",
        title="Possible spinal fluid leak",
        tier="urgent",
        explanation=(
            "Patient reported clear watery drainage from the incision, or a postural headache (worse sitting or "
            "standing, eased lying down). Possible dural tear with CSF leak. The patient was told to call the clinic "
            "within 24 hours."
        ),
        translations={"es": {"title": "Posible fuga del líquido que rodea la columna"}},
    ),
    AlertRule(
        key="leg_numbness_weakness",
        title="New numbness, tingling or weakness in a leg",
        tier="urgent",
        explanation=(
            "Patient reported new numbness, tingling or weakness in a leg or foot, however slowly it came on. "
            "Possible nerve irritation, injury or compression (e.g. a haematoma); check strength and sensation. "
            "Higher risk in older patients. The patient was told to call the clinic within 24 hours."
        ),
        translations={"es": {"title": "Adormecimiento, hormigueo o debilidad nueva en una pierna"}},
    ),
    AlertRule(
        key="calf_pain_swelling",
        title="Calf pain or leg swelling",
        tier="urgent",
        explanation=(
            "Patient reported calf pain or leg swelling. Rule out deep vein thrombosis. The patient was told to call "
            "the clinic within 24 hours."
        ),
        translations={"es": {"title": "Dolor en la pantorrilla o hinchazón de la pierna"}},
    ),
    AlertRule(
        key="pain_uncontrolled",
        title="Pain not controlled",
        tier="urgent",
        explanation=(
            "Patient reported pain not controlled by the prescribed medication. Review analgesia and look for a "
            "complication. The patient was told to call the clinic within 24 hours."
        ),
        translations={"es": {"title": "Dolor que la medicina no controla"}},
    ),
    AlertRule(
        key="fall",
        title="Fall",
        tier="urgent",
        explanation=(
            "Patient reported a fall since the last check-in. Check for injury to the wound or spine and for new "
            "neurological symptoms; review fall risk. The patient was told to call the clinic within 24 hours."
        ),
        translations={"es": {"title": "Una caída"}},
    ),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSet:
    """One version of the red-flag rule set: its questions, the instructions after a "yes", and its alert rules."""

    version: int
    questions: tuple[RedFlagQuestion, ...]
    instructions: Mapping[RedFlagTier, TierInstruction]
    rules: tuple[AlertRule, ...]


# Version 1's instructions in the other languages (its English is frozen in recovery.content.red_flags_v1): an alert
# it raised that is still open shows them to the patient.
_V1_INSTRUCTIONS_ES: Final[Mapping[str, Mapping[str, str]]] = {
    "emergency": {
        "title": "Pida ayuda de emergencia ahora",
        "text": (
            "Llame ahora a su número local de emergencias, o pida a alguien que lo lleve a la sala de emergencias más "
            "cercana. No maneje usted. No espere a que la clínica lo llame. Diga que hace poco le hicieron un "
            "procedimiento MILD en la parte baja de la espalda."
        ),
    },
    "urgent": {
        "title": "Llame hoy a su clínica",
        "text": (
            "Por favor, llame hoy a {clinic_name} al {clinic_phone}. Cuénteles lo que nos dijo aquí. Si no puede "
            "comunicarse con ellos en 24 horas, o se siente peor, vaya a la sala de emergencias. También puede llamar "
            "a su número local de emergencias."
        ),
    },
}
_V1_INSTRUCTIONS: Final[Mapping[RedFlagTier, TierInstruction]] = {
    instruction.tier: replace(instruction, translations={"es": _V1_INSTRUCTIONS_ES[instruction.tier]})
    for instruction in red_flags_v1.TIER_INSTRUCTIONS.values()
}

# Version 1's questions in the other languages (its English is frozen in recovery.content.red_flags_v1), frozen with
# it: a check-in answered on its form is read in the words the patient was asked.
_V1_QUESTIONS_ES: Final[Mapping[str, Mapping[str, str | None]]] = {
    "bladder_bowel_control": {
        "question": (
            "Desde su último registro, ¿ha perdido el control de la orina o de las heces, o no ha podido orinar?"
        ),
        "help_text": (
            "Esto quiere decir que se orina o se ensucia sin aviso, o que tiene ganas de orinar pero no sale nada."
        ),
    },
    "saddle_numbness": {
        "question": "¿Ha sentido un adormecimiento nuevo entre las piernas o alrededor de las nalgas?",
        "help_text": (
            "Es la zona que tocaría el asiento de una bicicleta. Puede sentirse dormida, sin sensación o rara al tacto."
        ),
    },
    "sudden_leg_weakness": {
        "question": "¿Se le ha debilitado de repente una pierna o las dos, o la debilidad empeora rápido?",
        "help_text": (
            "Por ejemplo, arrastra el pie o el pie golpea el suelo, o la pierna se le dobla al ponerse de pie."
        ),
    },
    "chest_pain_breathless": {
        "question": "¿Ha tenido dolor en el pecho, o de repente le ha faltado el aire?",
        "help_text": "Que le falte el aire quiere decir que no puede recuperar el aliento, ni siquiera en reposo.",
    },
    "fever_chills": {
        "question": (
            "¿Ha tenido una temperatura de más de 38,0 °C (100,4 °F), o escalofríos (temblar y sentir mucho frío)?"
        ),
        "help_text": "Si tiene un termómetro, tómese la temperatura cuando se sienta caliente o con escalofríos.",
    },
    "wound_problem": {
        "question": (
            "¿La pequeña herida de su espalda está roja, caliente o hinchada, o le sale un líquido turbio o con mal "
            "olor? ¿O todavía le sale algún líquido 5 días o más después de su procedimiento?"
        ),
        "help_text": (
            "Es común tener un poco de dolor y moretones los primeros días. Nos referimos a enrojecimiento, calor o "
            "hinchazón que empeora."
        ),
    },
    "new_numbness_tingling": {
        "question": "¿Ha tenido un adormecimiento u hormigueo nuevo en las piernas o en los pies?",
        "help_text": "Nuevo quiere decir que no lo tenía antes, o que se ha extendido a otro lugar.",
    },
    "calf_pain_swelling": {
        "question": "¿Tiene dolor o hinchazón en la pantorrilla, o una pierna está más hinchada que la otra?",
        "help_text": (
            "La pantorrilla es la parte de atrás de la pierna, debajo de la rodilla. Puede ser señal de un coágulo de "
            "sangre, por eso hay que revisarla."
        ),
    },
    "pain_uncontrolled": {
        "question": "¿Tiene tanto dolor que la medicina que le dio su clínica no le ayuda?",
        "help_text": None,
    },
    "fall": {
        "question": "¿Se ha caído desde su último registro?",
        "help_text": "Por favor, avísenos aunque crea que no se lastimó.",
    },
}
_V1_QUESTIONS: Final[tuple[RedFlagQuestion, ...]] = tuple(
    replace(question, translations={"es": _V1_QUESTIONS_ES[question.key]}) for question in red_flags_v1.QUESTIONS
)

# Version 1's red-flag alert titles in the other languages (its English is frozen in recovery.content.red_flags_v1):
# an alert it raised that is still open shows its title to the patient.
_V1_RULE_TITLES_ES: Final[Mapping[str, str]] = {
    "bladder_bowel_control": "Problemas para controlar la orina o las heces",
    "saddle_numbness": "Adormecimiento entre las piernas o en las nalgas",
    "sudden_leg_weakness": "Debilidad en las piernas que llega de repente o empeora rápido",
    "chest_pain_breathless": "Dolor en el pecho o falta de aire repentina",
    "fever_chills": "Fiebre o escalofríos",
    "wound_problem": "Un problema en la herida",
    "new_numbness_tingling": "Adormecimiento u hormigueo nuevo",
    "calf_pain_swelling": "Dolor en la pantorrilla o hinchazón de la pierna",
    "pain_uncontrolled": "Dolor que la medicina no controla",
    "fall": "Una caída",
}
_V1_RED_FLAG_RULES: Final[tuple[AlertRule, ...]] = tuple(
    replace(rule, translations={"es": {"title": _V1_RULE_TITLES_ES[rule.key]}}) for rule in red_flags_v1.RED_FLAG_RULES
)

_WATCH_RULES_V1 = tuple(rule for rule in WATCH_RULES if rule.tier == "watch" and rule.key != "leg_weakness_symptom")
RULE_SETS: Final[Mapping[int, RuleSet]] = {
    1: RuleSet(
        version=1,
        questions=_V1_QUESTIONS,
        instructions=_V1_INSTRUCTIONS,
        rules=(*_WATCH_RULES_V1, *_V1_RED_FLAG_RULES),
    ),
    2: RuleSet(version=2, questions=RED_FLAG_QUESTIONS, instructions=TIER_INSTRUCTIONS, rules=WATCH_RULES),
}
CURRENT: Final = RULE_SETS[RULE_SET_VERSION]
