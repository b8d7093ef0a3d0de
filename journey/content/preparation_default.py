"""The shipped default preparation checklist: what a patient does in the days before the procedure.

This is the newest default version. It is data, frozen in a data migration per version (journey 0002: version 1):
changing anything here means a new VERSION and a new data migration that installs it
(tests/journey/test_content.py fails otherwise). Clinics may have their own versions (journey.models.
PreparationProtocol with a clinic).

Each item says to whom it applies:
- "everyone";
- "diabetes": patients whose profile records diabetes;
- "sedation": procedures planned with light sedation (Procedure.anaesthesia);
- "arrival": everyone; its text names the arrival time the clinic entered ({arrival_time}), or `text_pending` until
  it is entered.
`due_days_before` is the last day to have it done, counted back from the procedure day (0: on the day).

MEDICINE_ITEM is the template of one item per blood thinner or antiplatelet medicine the clinician enters, with the
dates the clinic decided: {medicine}, {stop_on}, {restart_on} (or `text_no_restart` when no restart date is set).
"""

from __future__ import annotations

from typing import Any, Final

VERSION: Final = 1
NAME: Final = "MILD preparation checklist"
CHANGE_NOTE: Final = (
    "Version 1, the product default: blood thinners as the clinic instructs, blood sugar for people with diabetes, "
    "fasting if sedation is planned, a driver and someone at home the first night, what to bring, arrival time."
)

ITEMS: Final[list[dict[str, Any]]] = [
    {
        "key": "medicines_list",
        "title": "Tell your clinic about all your medicines",
        "text": (
            "Make a list of every medicine you take, including vitamins and herbal remedies. Tell your clinic, "
            "especially about medicines that thin the blood, such as aspirin, clopidogrel, warfarin or apixaban. "
            "Do not stop any medicine unless your clinic tells you to."
        ),
        "applies": "everyone",
        "due_days_before": 10,
    },
    {
        "key": "blood_sugar",
        "title": "Keep your blood sugar steady",
        "text": (
            "Good blood sugar control before and after the procedure lowers the risk of an infection. Check your "
            "blood sugar as usual and take your diabetes medicine as your clinic tells you. Ask your clinic what to "
            "do with your diabetes medicine on the day itself."
        ),
        "applies": "diabetes",
        "due_days_before": 7,
    },
    {
        "key": "driver",
        "title": "Arrange a lift home",
        "text": (
            "You must not drive yourself home after the procedure. Ask a family member or friend to take you home, "
            "or book a taxi with someone to go with you."
        ),
        "applies": "everyone",
        "due_days_before": 3,
    },
    {
        "key": "someone_at_home",
        "title": "Have someone stay with you the first night",
        "text": (
            "Ask someone to stay with you on the first night after the procedure. They can help if you need to get "
            "up or feel unwell."
        ),
        "applies": "everyone",
        "due_days_before": 3,
    },
    {
        "key": "what_to_bring",
        "title": "Pack what to bring",
        "text": (
            "Bring your list of medicines, your photo ID and your insurance card. Bring your glasses or hearing "
            "aids, and your walking stick or frame if you use one. Wear loose, comfortable clothes and flat shoes. "
            "Leave jewellery and valuables at home."
        ),
        "applies": "everyone",
        "due_days_before": 1,
    },
    {
        "key": "fasting",
        "title": "Stop eating and drinking when your clinic says",
        "text": (
            "You will have light sedation to help you relax, so your stomach must be empty. Follow your clinic's "
            "instructions on when to stop eating and drinking. If you take medicines in the morning, ask your clinic "
            "whether to take them with a small sip of water."
        ),
        "applies": "sedation",
        "due_days_before": 0,
    },
    {
        "key": "arrival",
        "title": "Know when to arrive",
        "text": "Please arrive at {arrival_time} on the day of your procedure. Allow time for traffic and parking.",
        "text_pending": "Your clinic will tell you what time to arrive. Check back here for the time.",
        "applies": "arrival",
        "due_days_before": 0,
    },
]

MEDICINE_ITEM: Final[dict[str, str]] = {
    "title": "{medicine}: stop on {stop_on}",
    "text": (
        "Your clinic asks you to stop taking {medicine} from {stop_on}. Start taking it again on {restart_on}. "
        "If you are not sure, call your clinic before you change anything."
    ),
    "text_no_restart": (
        "Your clinic asks you to stop taking {medicine} from {stop_on}. Your clinic will tell you when to start "
        "taking it again. If you are not sure, call your clinic before you change anything."
    ),
}

APPLIES: Final = ("everyone", "diabetes", "sedation", "arrival")

# The same version in other languages, by item key, frozen with it (journey 0005 for version 1). Every text field of
# every item and of MEDICINE_ITEM is here, with the same {placeholders} (tests/journey/test_journey_languages.py).
TRANSLATIONS: Final[dict[str, dict[str, Any]]] = {
    "es": {
        "items": {
            "medicines_list": {
                "title": "Informe a su clínica de todos sus medicamentos",
                "text": (
                    "Haga una lista de todos los medicamentos que toma, también vitaminas y remedios de hierbas. "
                    "Informe a su clínica, sobre todo de los medicamentos que hacen la sangre más líquida. Por "
                    "ejemplo, aspirina, clopidogrel, warfarina o apixabán. No deje ningún medicamento a menos que "
                    "su clínica se lo indique."
                ),
            },
            "blood_sugar": {
                "title": "Mantenga estable su azúcar en la sangre",
                "text": (
                    "Un buen control del azúcar antes y después del procedimiento baja el riesgo de una infección. "
                    "Mídase el azúcar como siempre y tome su medicamento para la diabetes como le indica su "
                    "clínica. Pregunte a su clínica qué hacer con ese medicamento el mismo día del procedimiento."
                ),
            },
            "driver": {
                "title": "Busque quién lo lleve a casa",
                "text": (
                    "No debe manejar usted para volver a casa después del procedimiento. Pida a un familiar o amigo "
                    "que lo lleve a casa. O tome un taxi con alguien que vaya con usted."
                ),
            },
            "someone_at_home": {
                "title": "Tenga a alguien con usted la primera noche",
                "text": (
                    "Pida a alguien que se quede con usted la primera noche después del procedimiento. Puede "
                    "ayudarle si necesita levantarse o si se siente mal."
                ),
            },
            "what_to_bring": {
                "title": "Prepare lo que debe llevar",
                "text": (
                    "Lleve su lista de medicamentos, su identificación con foto y su tarjeta del seguro. Lleve sus "
                    "lentes o audífonos, y su bastón o andador si lo usa. Use ropa suelta y cómoda, y zapatos "
                    "bajos. Deje en casa las joyas y las cosas de valor."
                ),
            },
            "fasting": {
                "title": "Deje de comer y beber cuando su clínica le diga",
                "text": (
                    "Le darán un sedante suave para ayudarle a relajarse, así que su estómago debe estar vacío. "
                    "Siga las indicaciones de su clínica sobre cuándo dejar de comer y beber. Si toma medicamentos "
                    "en la mañana, pregunte a su clínica si debe tomarlos con un sorbo de agua."
                ),
            },
            "arrival": {
                "title": "Sepa a qué hora llegar",
                "text": (
                    "Por favor, llegue a las {arrival_time} el día de su procedimiento. Calcule tiempo para el "
                    "tráfico y para estacionar."
                ),
                "text_pending": "Su clínica le dirá a qué hora llegar. Vuelva a mirar aquí para ver la hora.",
            },
        },
        "medicine_item": {
            "title": "{medicine}: deje de tomarlo el {stop_on}",
            "text": (
                "Su clínica le pide que deje de tomar {medicine} desde el {stop_on}. Vuelva a tomarlo el "
                "{restart_on}. Si no está seguro, llame a su clínica antes de cambiar nada."
            ),
            "text_no_restart": (
                "Su clínica le pide que deje de tomar {medicine} desde el {stop_on}. Su clínica le dirá cuándo "
                "volver a tomarlo. Si no está seguro, llame a su clínica antes de cambiar nada."
            ),
        },
    }
}
