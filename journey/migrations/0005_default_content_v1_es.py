"""Writes the Spanish of the shipped default preparation checklist and education library, version 1, into their
`translations`, frozen here: changing the translations in journey.content means a new data migration that writes
them (tests/journey/test_journey_languages.py). A clinic's own versions are left as they are.
"""

from django.db import migrations

LANGUAGE = "es"
PREPARATION_VERSION = 1
EDUCATION_VERSION = 1

PREPARATION = {'items': {'medicines_list': {'title': 'Informe a su clínica de todos sus medicamentos',
                              'text': 'Haga una lista de todos los medicamentos que toma, también vitaminas y '
                                      'remedios de hierbas. Informe a su clínica, sobre todo de los medicamentos '
                                      'que hacen la sangre más líquida. Por ejemplo, aspirina, clopidogrel, '
                                      'warfarina o apixabán. No deje ningún medicamento a menos que su clínica se '
                                      'lo indique.'},
           'blood_sugar': {'title': 'Mantenga estable su azúcar en la sangre',
                           'text': 'Un buen control del azúcar antes y después del procedimiento baja el riesgo de '
                                   'una infección. Mídase el azúcar como siempre y tome su medicamento para la '
                                   'diabetes como le indica su clínica. Pregunte a su clínica qué hacer con ese '
                                   'medicamento el mismo día del procedimiento.'},
           'driver': {'title': 'Busque quién lo lleve a casa',
                      'text': 'No debe manejar usted para volver a casa después del procedimiento. Pida a un '
                              'familiar o amigo que lo lleve a casa. O tome un taxi con alguien que vaya con '
                              'usted.'},
           'someone_at_home': {'title': 'Tenga a alguien con usted la primera noche',
                               'text': 'Pida a alguien que se quede con usted la primera noche después del '
                                       'procedimiento. Puede ayudarle si necesita levantarse o si se siente mal.'},
           'what_to_bring': {'title': 'Prepare lo que debe llevar',
                             'text': 'Lleve su lista de medicamentos, su identificación con foto y su tarjeta del '
                                     'seguro. Lleve sus lentes o audífonos, y su bastón o andador si lo usa. Use '
                                     'ropa suelta y cómoda, y zapatos bajos. Deje en casa las joyas y las cosas de '
                                     'valor.'},
           'fasting': {'title': 'Deje de comer y beber cuando su clínica le diga',
                       'text': 'Le darán un sedante suave para ayudarle a relajarse, así que su estómago debe '
                               'estar vacío. Siga las indicaciones de su clínica sobre cuándo dejar de comer y '
                               'beber. Si toma medicamentos en la mañana, pregunte a su clínica si debe tomarlos '
                               'con un sorbo de agua.'},
           'arrival': {'title': 'Sepa a qué hora llegar',
                       'text': 'Por favor, llegue a las {arrival_time} el día de su procedimiento. Calcule tiempo '
                               'para el tráfico y para estacionar.',
                       'text_pending': 'Su clínica le dirá a qué hora llegar. Vuelva a mirar aquí para ver la '
                                       'hora.'}},
 'medicine_item': {'title': '{medicine}: deje de tomarlo el {stop_on}',
                   'text': 'Su clínica le pide que deje de tomar {medicine} desde el {stop_on}. Vuelva a tomarlo '
                           'el {restart_on}. Si no está seguro, llame a su clínica antes de cambiar nada.',
                   'text_no_restart': 'Su clínica le pide que deje de tomar {medicine} desde el {stop_on}. Su '
                                      'clínica le dirá cuándo volver a tomarlo. Si no está seguro, llame a su '
                                      'clínica antes de cambiar nada.'}}

EDUCATION = {'what_is_mild': {'title': '¿Qué es MILD y para quién es?',
                  'summary': 'Un procedimiento pequeño que da más espacio a los nervios de la parte baja de la '
                             'espalda.',
                  'body': ['En la parte baja de la espalda hay un canal por donde pasan los nervios. La estenosis '
                           'espinal lumbar quiere decir que ese canal se ha vuelto estrecho. Muchas veces una '
                           'banda gruesa de tejido, llamada ligamento, aprieta los nervios.',
                           'Esto puede causar dolor, adormecimiento, hormigueo o debilidad en la espalda y las '
                           'piernas. Suele empeorar al estar de pie o caminar. Suele mejorar al sentarse o '
                           'inclinarse hacia adelante.',
                           'MILD quiere decir descompresión lumbar mínimamente invasiva. El médico hace un corte '
                           'muy pequeño en la espalda. Por ahí quita un poco del ligamento grueso y un pedacito de '
                           'hueso. Así los nervios tienen más espacio.',
                           'El médico usa imágenes de rayos X en vivo para guiar los instrumentos. No queda ningún '
                           'implante en su cuerpo. En la mayoría de los casos no necesita puntos.',
                           'MILD es para personas con un estrechamiento que se ve en una resonancia o una '
                           'tomografía. Otros tratamientos no les ayudaron lo suficiente, como la fisioterapia, '
                           'los medicamentos o las inyecciones.']},
 'the_day': {'title': 'Qué pasa ese día',
             'summary': 'Cerca de una hora en la sala del procedimiento, y a casa el mismo día.',
             'body': ['Estará acostado boca abajo. El médico adormece la piel y el tejido de la parte baja de la '
                      'espalda con anestesia local. Algunas personas también reciben un sedante suave para '
                      'relajarse. Usted sigue despierto o un poco dormido.',
                      'El procedimiento dura de 30 a 60 minutos. Puede sentir algo de presión, pero no debería '
                      'doler.',
                      'Después descansa un rato, y el equipo revisa cómo está. La mayoría de las personas se va a '
                      'casa el mismo día.',
                      'No puede manejar usted para volver a casa. Alguien debe llevarlo a casa y, si es posible, '
                      'quedarse con usted la primera noche.']},
 'after_the_procedure': {'title': 'Lo que puede sentir después',
                         'summary': 'Es normal tener algo de dolor en la pequeña herida por unos días.',
                         'body': ['Por unos días puede tener dolor, un moretón o un poco de hinchazón donde se '
                                  'hizo el corte. Esto es común.',
                                  'Un analgésico de la farmacia, o el que le sugirió su clínica, suele ayudar. '
                                  'Siga la dosis de la caja o la que le dio su clínica.',
                                  'Mantenga la pequeña herida limpia y seca, como le indicó su clínica.',
                                  'Descanse el día del procedimiento. Desde el día siguiente, caminar un poco le '
                                  'ayuda a recuperarse.']},
 'recovery_timeline': {'title': 'Su recuperación, semana a semana',
                       'summary': 'Actividad ligera en pocos días, y la mayoría se siente claramente mejor a las 6 '
                                  'a 8 semanas.',
                       'body': ['Los primeros días: descanse el primer día. Luego vuelva a hacer cosas ligeras, '
                                'como caminar un poco y vestirse.',
                                'La primera semana: la mayoría vuelve a sus actividades diarias normales en más o '
                                'menos una semana.',
                                'Semanas 2 y 3: haga un poco más cada día, sin prisa, como caminar un poco más '
                                'lejos.',
                                'Semanas 6 a 8: para entonces, la mayoría nota una clara mejoría de sus molestias. '
                                'Cada persona sana a su ritmo, así que no se preocupe si necesita un poco más de '
                                'tiempo.',
                                'Le haremos unas preguntas a las 2 a 3 semanas, y otra vez a las 6 a 8 semanas.']},
 'physical_therapy': {'title': 'La fisioterapia y por qué ayuda',
                      'summary': 'Estiramientos suaves, fortalecimiento y caminatas ayudan a que su espalda se '
                                 'fortalezca.',
                      'body': ['No todos necesitan fisioterapia después de MILD, pero a muchas personas les ayuda.',
                               'Hay tres tipos de ejercicio. Los estiramientos suaves le mantienen flexible. El '
                               'fortalecimiento sostiene la parte baja de la espalda. El ejercicio de bajo impacto '
                               'le da más resistencia. Por ejemplo, caminar, la bicicleta fija o el ejercicio en '
                               'el agua.',
                               'Empiece con suavidad y aumente poco a poco, semana a semana. Evite levantar cosas '
                               'pesadas y agacharse mucho en las primeras semanas.',
                               'Si un ejercicio le aumenta mucho el dolor, pare y pruebe uno más fácil. Pregunte a '
                               'su clínica si tiene dudas.']},
 'everyday_life': {'title': 'Manejar, trabajar, viajar y el jardín',
                   'summary': 'Cuándo puede volver a las cosas que le gustan.',
                   'body': ['Manejar: no maneje el día del procedimiento, ni mientras toma medicamentos que le dan '
                            'sueño. Vuelva a manejar cuando pueda girar y frenar sin dolor, y su clínica esté de '
                            'acuerdo.',
                            'Trabajo: muchas personas con trabajo ligero o de escritorio vuelven en una o dos '
                            'semanas. Si su trabajo es pesado, pregunte a su clínica.',
                            'Viajes: los viajes cortos están bien cuando se sienta bien. En viajes largos, pare o '
                            'levántese cada hora para moverse.',
                            'Caminar: camine un poco cada día y vaya un poco más lejos cada vez.',
                            'Jardín: empiece con tareas ligeras. Espere el consejo de su clínica antes de cavar, '
                            'levantar peso o agacharse por mucho tiempo.']},
 'can_it_be_repeated': {'title': '¿Se puede repetir MILD?',
                        'summary': 'Sí, si sus molestias vuelven.',
                        'body': ['Si sus molestias vuelven, MILD se puede repetir. Puede ser en el mismo lugar de '
                                 'la espalda o en otro.',
                                 'Avise a su clínica si el dolor, el adormecimiento o su forma de caminar empeoran '
                                 'otra vez. Ellos verán qué es lo mejor para usted.']},
 'how_long_it_lasts': {'title': '¿Cuánto dura el beneficio?',
                       'summary': 'En los estudios, se siguió a las personas durante 2 años.',
                       'body': ['En el estudio principal de MILD, se siguió a los pacientes durante 2 años. En '
                                'promedio, su dolor seguía claramente más bajo a los 2 años. Las actividades '
                                'diarias seguían siendo claramente más fáciles que antes del procedimiento.',
                                'Cada persona es diferente. Mantenerse activo, con caminatas y sus ejercicios, le '
                                'ayuda a conservar el beneficio.',
                                'Le haremos unas preguntas a los 6 meses, al año y a los 2 años. Sus respuestas '
                                'muestran a su equipo de salud cómo está.']},
 'when_to_get_help': {'title': 'Cuándo pedir ayuda',
                      'summary': 'Las señales de alarma, y a quién llamar.',
                      'body': ['Vaya ahora a urgencias, o llame a su número local de emergencias, si le pasa algo '
                               'de esto.',
                               'No puede controlar la vejiga o el intestino, o no puede orinar. Siente adormecida '
                               'la zona entre las piernas o alrededor de las nalgas. Una pierna se debilita de '
                               'repente. Tiene dolor en el pecho o de repente le cuesta respirar.',
                               'Llame a su clínica en las próximas 24 horas si le pasa algo de esto.',
                               'Tiene fiebre de más de 38.0 C (100.4 F) o escalofríos. La herida está roja, '
                               'caliente, hinchada o le sale líquido. Sale un líquido claro y aguado de la herida. '
                               'Tiene un dolor de cabeza que empeora al sentarse o pararse. Una pierna está de '
                               'nuevo dormida, con hormigueo o débil. Le duele la pantorrilla o se le hincha la '
                               'pierna. Su analgésico no le ayuda. Se ha caído.',
                               'La pantalla de Ayuda de esta aplicación tiene botones para llamar a su clínica y '
                               'al número de emergencias.']}}


def _with(translations, value):
    return {**translations, LANGUAGE: value}


def _without(translations):
    return {k: v for k, v in translations.items() if k != LANGUAGE}


def install(apps, schema_editor):
    PreparationProtocol = apps.get_model("journey", "PreparationProtocol")
    EducationArticle = apps.get_model("journey", "EducationArticle")
    for protocol in PreparationProtocol.objects.filter(clinic__isnull=True, version=PREPARATION_VERSION):
        protocol.translations = _with(protocol.translations, PREPARATION)
        protocol.save(update_fields=["translations"])
    articles = EducationArticle.objects.filter(
        library__clinic__isnull=True, library__version=EDUCATION_VERSION, key__in=EDUCATION
    )
    for article in articles:
        article.translations = _with(article.translations, EDUCATION[article.key])
        article.save(update_fields=["translations"])


def uninstall(apps, schema_editor):
    PreparationProtocol = apps.get_model("journey", "PreparationProtocol")
    EducationArticle = apps.get_model("journey", "EducationArticle")
    for protocol in PreparationProtocol.objects.filter(clinic__isnull=True, version=PREPARATION_VERSION):
        protocol.translations = _without(protocol.translations)
        protocol.save(update_fields=["translations"])
    for article in EducationArticle.objects.filter(library__clinic__isnull=True, library__version=EDUCATION_VERSION):
        article.translations = _without(article.translations)
        article.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [("journey", "0004_translations")]

    operations = [migrations.RunPython(install, uninstall)]
