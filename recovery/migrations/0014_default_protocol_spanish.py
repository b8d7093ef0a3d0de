"""The shipped default protocol in Spanish: fills the `translations` of versions 1 and 2 (their phases, milestones and
"When to get help"), and of the milestones already laid out from them, with the text frozen here. The English is not
touched. A field is filled only where the English is still the text translated here, so a row whose English differs
keeps its own; running it again changes nothing.

Patient-facing Spanish for readers aged 60-85: "usted", short sentences, plain words, Latin-American neutral.
"""

from django.db import migrations

# key -> {field: [English as shipped, Spanish]}
PHASES = {
    'procedure_day': {
        'title': ['Procedure day', 'Día del procedimiento'],
        'summary': [
            'Today is for rest, so the small wound on your back can start to heal.',
            'Hoy es un día para descansar. Así la pequeña herida de su espalda empieza a sanar.',
        ],
        'instructions': [
            ['Have someone drive you home.',
             'Rest for the rest of the day.',
             'Short walks around the house, such as to the bathroom, are fine.',
             'Get up slowly. Sit on the edge of the bed for a moment before you stand.',
             'Take your pain medicine the way your clinic told you.',
             'Keep the dressing clean and dry.',
             'Watch for the warning signs your clinic gave you.'],
            ['Pida a alguien que lo lleve a su casa en auto.',
             'Descanse el resto del día.',
             'Puede caminar un poco dentro de la casa, por ejemplo para ir al baño.',
             'Levántese despacio. Siéntese un momento en el borde de la cama antes de ponerse de pie.',
             'Tome su medicina para el dolor como le indicó su clínica.',
             'Mantenga el vendaje limpio y seco.',
             'Esté atento a las señales de alarma que le dio su clínica.'],
        ],
        'avoid': [
            ['Do not lift anything heavy, like shopping bags or a laundry basket.',
             'Do not bend down deeply or twist your back.',
             'Do not do housework, exercise or sport today.',
             'Do not drive today.',
             'Do not take a bath, swim or use a hot tub.'],
            ['No levante nada pesado, como bolsas de compras o un canasto de ropa.',
             'No se agache mucho ni gire la espalda.',
             'Hoy no haga tareas de la casa, ejercicio ni deporte.',
             'No maneje hoy.',
             'No se bañe en tina, no nade y no use un jacuzzi.'],
        ],
    },
    'first_days': {
        'title': ['The first days', 'Los primeros días'],
        'summary': [
            'Start light activity again, a little more each day; most people are back to daily life within a week.',
            'Vuelva a hacer actividades suaves, un poco más cada día. La mayoría de las personas vuelve a su vida '
            'diaria en una semana.',
        ],
        'instructions': [
            ['Take short, gentle walks a few times a day.',
             'Go back to light tasks, like making a drink or getting dressed, when you feel ready.',
             'Some soreness, bruising or swelling around the wound is common for a few days.',
             'For soreness, you can take the pain medicine your clinic suggested.',
             "Keep the wound clean and dry. Follow your clinic's advice about showers and dressings.",
             'Use your walking stick or frame if you normally do.',
             'Fill in your daily check-in, so your care team knows how you are.'],
            ['Dé caminatas cortas y suaves varias veces al día.',
             'Vuelva a las tareas ligeras, como preparar una bebida o vestirse, cuando se sienta listo.',
             'Es común tener algo de dolor, moretones o hinchazón alrededor de la herida por unos días.',
             'Para el dolor, puede tomar la medicina que le sugirió su clínica.',
             'Mantenga la herida limpia y seca. Siga los consejos de su clínica sobre la ducha y los vendajes.',
             'Use su bastón o andador si normalmente lo usa.',
             'Llene su registro diario, para que su equipo de atención sepa cómo está.'],
        ],
        'avoid': [
            ['Do not lift anything heavy.',
             'Do not bend down deeply or twist your back.',
             'Do not soak the wound: no baths, swimming or hot tubs yet.',
             'Do not drive while you take medicine that makes you sleepy.',
             'Do not sit or lie still for hours. Get up and move a little every hour.',
             'Do not push on if an activity causes sharp pain.'],
            ['No levante nada pesado.',
             'No se agache mucho ni gire la espalda.',
             'No moje la herida por mucho tiempo: todavía no se bañe en tina, no nade y no use un jacuzzi.',
             'No maneje mientras tome medicinas que le den sueño.',
             'No pase horas sentado o acostado sin moverse. Levántese y muévase un poco cada hora.',
             'Si una actividad le causa un dolor fuerte, deténgase.'],
        ],
    },
    'weeks_1_3': {
        'title': ['Weeks 1 to 3', 'Semanas 1 a 3'],
        'summary': [
            'Build up slowly over the next two weeks, with longer walks and gentle stretches.',
            'Aumente su actividad poco a poco durante las próximas dos semanas, con caminatas más largas y '
            'estiramientos suaves.',
        ],
        'instructions': [
            ['Walk a little longer as the days go by.',
             'Do your gentle stretches every day.',
             'Go back to your normal daily tasks and light housework.',
             'Change position often. Do not stay sitting or standing for too long.',
             'About 2 weeks after your procedure, we will ask you to fill in your first progress check.'],
            ['Camine un poco más cada día.',
             'Haga sus estiramientos suaves todos los días.',
             'Vuelva a sus tareas diarias normales y a las tareas ligeras de la casa.',
             'Cambie de posición seguido. No se quede sentado o de pie por mucho tiempo.',
             'Unas 2 semanas después de su procedimiento, le pediremos que llene su primer control de avance.'],
        ],
        'avoid': [
            ['Do not lift anything heavy yet.',
             'Do not bend down deeply or twist your back.',
             'Do not swim or take a bath until the wound has fully healed.',
             'Do not play sports like golf or tennis yet.',
             'Do not keep doing anything that makes your pain much worse.'],
            ['Todavía no levante nada pesado.',
             'No se agache mucho ni gire la espalda.',
             'No nade ni se bañe en tina hasta que la herida haya sanado por completo.',
             'Todavía no juegue deportes como golf o tenis.',
             'No siga haciendo algo que le aumente mucho el dolor.'],
        ],
    },
    'weeks_3_8': {
        'title': ['Weeks 3 to 8', 'Semanas 3 a 8'],
        'summary': [
            'Keep building up; most people notice a clear improvement in their symptoms by 6 to 8 weeks.',
            'Siga aumentando su actividad. La mayoría de las personas nota una clara mejoría de sus síntomas entre '
            'las 6 y las 8 semanas.',
        ],
        'instructions': [
            ['Keep walking every day, and slowly go a bit further.',
             'Start the strengthening exercises in your plan.',
             'Once the wound has fully healed, you can walk or exercise in a pool.',
             'Ask your clinic whether physical therapy would help you.',
             'About 6 weeks after your procedure, we will ask you to fill in your second progress check.'],
            ['Siga caminando todos los días y, poco a poco, vaya un poco más lejos.',
             'Empiece los ejercicios de fortalecimiento de su plan.',
             'Cuando la herida haya sanado por completo, puede caminar o hacer ejercicio en una piscina.',
             'Pregunte a su clínica si la terapia física le puede ayudar.',
             'Unas 6 semanas después de su procedimiento, le pediremos que llene su segundo control de avance.'],
        ],
        'avoid': [
            ['Do not lift heavy things until your clinic says it is OK.',
             'Do not do deep bending, running or jumping.',
             'Do not rush. If an exercise hurts more than usual, go back to an easier level.'],
            ['No levante cosas pesadas hasta que su clínica le diga que puede hacerlo.',
             'No se agache mucho, no corra y no salte.',
             'No se apure. Si un ejercicio le duele más de lo normal, vuelva a un nivel más fácil.'],
        ],
    },
    'long_term': {
        'title': ['Staying well', 'Mantenerse bien'],
        'summary': [
            'Stay active to keep your progress; we will check in with you from time to time for 2 years.',
            'Manténgase activo para conservar su avance. Le preguntaremos cómo está de vez en cuando durante 2 años.',
        ],
        'instructions': [
            ['Keep walking and doing your exercises on most days.',
             'Slowly go back to hobbies you enjoy, like gardening or golf, if your clinic agrees.',
             'When lifting, bend your knees and keep the load close to your body.',
             'Fill in your follow-up checks when we ask. They show how you are doing over time.',
             'If your old leg or back symptoms come back, tell your clinic. The procedure can sometimes be repeated.'],
            ['Siga caminando y haciendo sus ejercicios casi todos los días.',
             'Vuelva poco a poco a los pasatiempos que le gustan, como la jardinería o el golf, si su clínica está '
             'de acuerdo.',
             'Para levantar algo, doble las rodillas y mantenga la carga cerca del cuerpo.',
             'Llene sus controles de seguimiento cuando se lo pidamos. Muestran cómo le va con el tiempo.',
             'Si vuelven sus síntomas de antes en las piernas o la espalda, avise a su clínica. A veces el '
             'procedimiento se puede repetir.'],
        ],
        'avoid': [
            ['Do not stop being active. Long rest can bring back stiffness and weakness.',
             'Do not ignore new leg pain, numbness or weakness. Tell your clinic.'],
            ['No deje de estar activo. El reposo largo puede traer de vuelta la rigidez y la debilidad.',
             'No ignore un dolor, un adormecimiento o una debilidad nueva en las piernas. Avise a su clínica.'],
        ],
    },
}

MILESTONES = {
    'weeks_2_3': {
        'title': ['2 to 3 week progress check', 'Control de avance de las 2 a 3 semanas'],
        'patient_text': [
            'It is about 2 weeks since your procedure. Please fill in your first progress check. It asks about your '
            'pain, your daily life, and how long you can stand and walk. It takes about 10 minutes. Your answers '
            'help your care team see how you are healing.',
            'Han pasado unas 2 semanas desde su procedimiento. Por favor, llene su primer control de avance. Le '
            'pregunta por su dolor, su vida diaria y cuánto tiempo puede estar de pie y caminar. Toma unos 10 '
            'minutos. Sus respuestas ayudan a su equipo de atención a ver cómo está sanando.',
        ],
    },
    'weeks_6_8': {
        'title': ['6 to 8 week progress check', 'Control de avance de las 6 a 8 semanas'],
        'patient_text': [
            'It is about 6 weeks since your procedure. This is when most people notice a clear change. Please fill '
            'in your progress check. It takes about 10 minutes. Your care team will look at your answers.',
            'Han pasado unas 6 semanas desde su procedimiento. En este momento la mayoría de las personas nota un '
            'cambio claro. Por favor, llene su control de avance. Toma unos 10 minutos. Su equipo de atención '
            'revisará sus respuestas.',
        ],
    },
    'month_3': {
        'title': ['3 month follow-up', 'Seguimiento de los 3 meses'],
        'patient_text': [
            'It is about 3 months since your procedure. Please fill in your follow-up check. It takes about 10 '
            'minutes. It helps your care team see how you are doing.',
            'Han pasado unos 3 meses desde su procedimiento. Por favor, llene su control de seguimiento. Toma unos '
            '10 minutos. Ayuda a su equipo de atención a ver cómo está.',
        ],
    },
    'month_6': {
        'title': ['6 month follow-up', 'Seguimiento de los 6 meses'],
        'patient_text': [
            'It is about 6 months since your procedure. Please fill in your follow-up check. It takes about 10 '
            'minutes. It helps your care team see how you are doing.',
            'Han pasado unos 6 meses desde su procedimiento. Por favor, llene su control de seguimiento. Toma unos '
            '10 minutos. Ayuda a su equipo de atención a ver cómo está.',
        ],
    },
    'year_1': {
        'title': ['1 year follow-up', 'Seguimiento de 1 año'],
        'patient_text': [
            'It is about a year since your procedure. Please fill in your follow-up check. It takes about 10 '
            'minutes. It shows how you are doing over the longer term.',
            'Ha pasado cerca de un año desde su procedimiento. Por favor, llene su control de seguimiento. Toma '
            'unos 10 minutos. Muestra cómo le va a más largo plazo.',
        ],
    },
    'year_2': {
        'title': ['2 year follow-up', 'Seguimiento de 2 años'],
        'patient_text': [
            'It is about 2 years since your procedure. This is your last follow-up check. It takes about 10 '
            'minutes. Thank you for helping your care team follow your recovery.',
            'Han pasado unos 2 años desde su procedimiento. Este es su último control de seguimiento. Toma unos 10 '
            'minutos. Gracias por ayudar a su equipo de atención a seguir su recuperación.',
        ],
    },
}

WHEN_TO_GET_HELP = [
    {
        'title': 'When to get help',
        'tiers': [
            {
                'tier': 'emergency',
                'heading': 'Call the emergency number now, or go to the emergency department, if:',
                'signs': [
                    'You cannot control your bladder or bowels, or you cannot pass urine.',
                    'You feel numb between your legs or around your bottom.',
                    'One or both legs suddenly become weak, or get weaker quickly.',
                    'You have chest pain, or you suddenly cannot catch your breath.',
                ],
                'note': 'Do not drive yourself. Tell them you recently had a MILD procedure on your lower back.',
            },
            {
                'tier': 'urgent',
                'heading': 'Call your clinic today if:',
                'signs': [
                    'You have a temperature above 38.0 °C (100.4 °F), or chills.',
                    'The wound is red, hot or swollen, or leaks cloudy or bad-smelling fluid.',
                    'The wound still leaks any fluid 5 or more days after your procedure.',
                    'The wound bleeds through the dressing.',
                    'Clear, watery fluid comes from the wound.',
                    'You have a headache that gets worse when you sit or stand, and better when you lie down.',
                    'You have new numbness, tingling or weakness in a leg or foot, even if it came on slowly.',
                    'Your calf hurts or is swollen, or one leg is more swollen than the other.',
                    'Your pain medicine is not controlling your pain.',
                    'You have had a fall.',
                ],
                'note': (
                    'If you cannot reach your clinic within 24 hours, or you feel worse, go to the emergency '
                    'department.'
                ),
            },
        ],
    },
    {
        'title': 'Cuándo pedir ayuda',
        'tiers': [
            {
                'tier': 'emergency',
                'heading': 'Llame ahora al número de emergencias, o vaya a la sala de emergencias, si:',
                'signs': [
                    'No puede controlar la orina o las heces, o no puede orinar.',
                    'Siente adormecida la zona entre las piernas o alrededor de las nalgas.',
                    'Una o las dos piernas se debilitan de repente, o se debilitan cada vez más rápido.',
                    'Tiene dolor en el pecho, o de repente le falta el aire.',
                ],
                'note': 'No maneje usted. Diga que hace poco le hicieron un procedimiento MILD en la parte baja de la '
                        'espalda.',
            },
            {
                'tier': 'urgent',
                'heading': 'Llame hoy a su clínica si:',
                'signs': [
                    'Tiene una temperatura de más de 38.0 °C (100.4 °F), o escalofríos.',
                    'La herida está roja, caliente o hinchada, o le sale un líquido turbio o con mal olor.',
                    'A la herida todavía le sale algún líquido 5 días o más después de su procedimiento.',
                    'La herida sangra y el vendaje se empapa de sangre.',
                    'Le sale un líquido claro, como agua, de la herida.',
                    'Tiene un dolor de cabeza que empeora al sentarse o ponerse de pie, y mejora al acostarse.',
                    'Tiene un adormecimiento, hormigueo o debilidad nueva en una pierna o un pie, aunque haya '
                    'empezado poco a poco.',
                    'Le duele o se le hincha la pantorrilla, o una pierna está más hinchada que la otra.',
                    'Su medicina para el dolor no le calma el dolor.',
                    'Se ha caído.',
                ],
                'note': 'Si no puede comunicarse con su clínica en 24 horas, o se siente peor, vaya a la sala de '
                        'emergencias.',
            },
        ],
    },
]


def _filled(english_row, existing, spanish_by_field):
    """The row's translations with the Spanish of every field whose English is the one translated here."""
    spanish = dict(existing.get('es', {}))
    for field, (english, text) in spanish_by_field.items():
        if getattr(english_row, field) == english and field not in spanish:
            spanish[field] = text
    return {**existing, 'es': spanish} if spanish else existing


def install_default_protocol_spanish(apps, schema_editor):
    Protocol = apps.get_model('recovery', 'Protocol')
    ProtocolPhase = apps.get_model('recovery', 'ProtocolPhase')
    ProtocolMilestone = apps.get_model('recovery', 'ProtocolMilestone')
    PatientMilestone = apps.get_model('recovery', 'PatientMilestone')
    english_help, spanish_help = WHEN_TO_GET_HELP
    for protocol in Protocol.objects.filter(clinic__isnull=True, version__in=(1, 2)):
        if protocol.when_to_get_help == english_help and 'when_to_get_help' not in protocol.translations.get('es', {}):
            es = {**protocol.translations.get('es', {}), 'when_to_get_help': spanish_help}
            protocol.translations = {**protocol.translations, 'es': es}
            protocol.save(update_fields=['translations'])
    rows = [
        (ProtocolPhase.objects.filter(protocol__clinic__isnull=True, protocol__version__in=(1, 2)), PHASES),
        (ProtocolMilestone.objects.filter(protocol__clinic__isnull=True, protocol__version__in=(1, 2)), MILESTONES),
        (PatientMilestone.objects.filter(procedure__protocol__clinic__isnull=True), MILESTONES),
    ]
    for queryset, spanish in rows:
        for row in queryset.filter(key__in=spanish):
            translations = _filled(row, row.translations, spanish[row.key])
            if translations != row.translations:
                row.translations = translations
                row.save(update_fields=['translations'])


def uninstall(apps, schema_editor):
    """Leaves the rows as they are: the translations field itself goes with migration 0012."""


class Migration(migrations.Migration):
    dependencies = [('recovery', '0013_translations_and_assessment_language')]

    operations = [migrations.RunPython(install_default_protocol_spanish, uninstall)]
