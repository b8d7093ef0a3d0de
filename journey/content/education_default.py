"""The shipped default education library: short articles in plain words, each tied to the stages of the journey at
which it is offered first.

This is the newest default version, frozen in a data migration per version (journey 0003: version 1): changing
anything here means a new VERSION and a new data migration (tests/journey/test_content.py fails otherwise). Clinics
may have their own versions (journey.models.EducationLibrary with a clinic).

Stages (journey.selectors.journey_stage):
- "before": no procedure done yet (scheduled or not);
- "procedure_day": the day of the procedure (day 0);
- "first_weeks": days 1 to 20;
- "recovering": days 21 to 55 (up to 8 weeks);
- "long_term": from day 56.
"""

from __future__ import annotations

from typing import Any, Final

VERSION: Final = 1
NAME: Final = "MILD patient guide"
CHANGE_NOTE: Final = (
    "Version 1, the product default: what MILD is, the day itself, what you may feel after, the recovery timeline, "
    "physical therapy, everyday life, repeating the procedure, how long the benefit lasts, and when to get help."
)

STAGES: Final = ("before", "procedure_day", "first_weeks", "recovering", "long_term")

ARTICLES: Final[list[dict[str, Any]]] = [
    {
        "key": "what_is_mild",
        "title": "What is MILD, and who is it for?",
        "summary": "A small procedure that makes more room for the nerves in your lower back.",
        "body": [
            "Lumbar spinal stenosis means the channel in your lower back that holds the nerves has become narrow. "
            "Often a thick band of tissue, called a ligament, presses on the nerves.",
            "This can cause pain, numbness, tingling or weakness in your back and legs. It is usually worse when "
            "you stand or walk, and better when you sit down or lean forward.",
            "MILD stands for Minimally Invasive Lumbar Decompression. The doctor makes a very small cut in your back. "
            "Through it, the doctor removes a little of the thick ligament and a small piece of bone. This makes more "
            "room for the nerves.",
            "The doctor uses live X-ray pictures to guide the tools. No implant is left in your body, and you do "
            "not need stitches in most cases.",
            "MILD is for people whose narrowing has been seen on an MRI or CT scan. Other treatments, such as "
            "physical therapy, medicines or injections, did not help them enough.",
        ],
        "stages": ["before"],
    },
    {
        "key": "the_day",
        "title": "What happens on the day",
        "summary": "About an hour in the procedure room, and home the same day.",
        "body": [
            "You will lie on your front. The doctor numbs the skin and tissue of your lower back with a local "
            "anaesthetic. Some people also have light sedation to help them relax. You stay awake or lightly asleep.",
            "The procedure itself takes about 30 to 60 minutes. You may feel some pressure, but it should not hurt.",
            "Afterwards you rest for a short while, and the team checks how you are. Most people go home the same day.",
            "You cannot drive yourself home. Someone needs to take you home and, if possible, stay with you the "
            "first night.",
        ],
        "stages": ["before", "procedure_day"],
    },
    {
        "key": "after_the_procedure",
        "title": "What you may feel afterwards",
        "summary": "Some soreness at the small wound is normal for a few days.",
        "body": [
            "For a few days you may have soreness, bruising or a little swelling where the small cut was made. This "
            "is common.",
            "Pain medicine from the chemist, or the medicine your clinic suggested, usually helps. Follow the dose "
            "on the packet or the one your clinic gave you.",
            "Keep the small wound clean and dry, as your clinic told you.",
            "Rest on the day of the procedure. From the next day, short gentle walks help you recover.",
        ],
        "stages": ["procedure_day", "first_weeks"],
    },
    {
        "key": "recovery_timeline",
        "title": "Your recovery, week by week",
        "summary": "Light activity within days, and most people feel clearly better by 6 to 8 weeks.",
        "body": [
            "The first few days: rest on the first day, then start light activities again, like short walks and "
            "getting dressed.",
            "The first week: most people are back to their normal daily activities within about a week.",
            "Weeks 2 and 3: slowly do a little more each day, such as walking a bit further.",
            "Weeks 6 to 8: most people notice a clear improvement in their symptoms by this time. Everyone heals at "
            "their own pace, so do not worry if you need a little longer.",
            "We will ask you a few questions at 2 to 3 weeks and again at 6 to 8 weeks.",
        ],
        "stages": ["procedure_day", "first_weeks", "recovering"],
    },
    {
        "key": "physical_therapy",
        "title": "Physical therapy, and why it helps",
        "summary": "Gentle stretches, strengthening and walking help your back get stronger.",
        "body": [
            "Not everyone needs physical therapy after MILD, but many people find it helps.",
            "There are three kinds of exercise. Gentle stretching keeps you flexible. Strengthening supports your "
            "lower back. Low-impact exercise, such as walking, a stationary bike or exercise in water, builds "
            "stamina.",
            "Start gently and build up slowly, week by week. Avoid heavy lifting and deep bending in the first weeks.",
            "If an exercise makes your pain much worse, stop and try an easier level. Ask your clinic if you are "
            "not sure.",
        ],
        "stages": ["first_weeks", "recovering"],
    },
    {
        "key": "everyday_life",
        "title": "Driving, work, travel and gardening",
        "summary": "When you can get back to the things you enjoy.",
        "body": [
            "Driving: do not drive on the day of the procedure, or while you take medicine that makes you sleepy. "
            "Drive again when you can turn and brake without pain, and your clinic agrees.",
            "Work: many people with light or desk work go back within a week or two. For heavy work, ask your clinic.",
            "Travel: short trips are fine once you feel well. On long journeys, stop or stand up every hour to "
            "move about.",
            "Walking: walk a little every day and slowly go further.",
            "Gardening: start with light tasks. Wait for your clinic's advice before heavy digging, lifting or "
            "bending for a long time.",
        ],
        "stages": ["first_weeks", "recovering"],
    },
    {
        "key": "can_it_be_repeated",
        "title": "Can MILD be done again?",
        "summary": "Yes, if your symptoms come back.",
        "body": [
            "If your symptoms come back, MILD can be done again. This can be at the same place in your back or at "
            "another one.",
            "Tell your clinic if your pain, numbness or walking get worse again. They will look at what is best "
            "for you.",
        ],
        "stages": ["long_term"],
    },
    {
        "key": "how_long_it_lasts",
        "title": "How long does the benefit last?",
        "summary": "In studies, people were followed for 2 years.",
        "body": [
            "In the main study of MILD, patients were followed for 2 years. On average, their pain was still clearly "
            "lower after 2 years. Daily activities were still clearly easier than before the procedure.",
            "Everyone is different. Keeping active, with regular walks and your exercises, helps you keep the benefit.",
            "We will ask you a few questions at 6 months, 1 year and 2 years. Your answers show your care team how "
            "you are doing.",
        ],
        "stages": ["recovering", "long_term"],
    },
    {
        "key": "when_to_get_help",
        "title": "When to get help",
        "summary": "The warning signs, and whom to call.",
        "body": [
            "Go to the emergency department now, or call your local emergency number, if any of these happen.",
            "You cannot control your bladder or bowels, or you cannot pass urine. You feel numb between your legs "
            "or around your bottom. A leg suddenly becomes weak. You have chest pain or suddenly find it hard to "
            "breathe.",
            "Call your clinic within 24 hours if any of these happen.",
            "You have a fever above 38.0 C (100.4 F) or chills. The wound is red, hot, swollen or leaking. Clear, "
            "watery fluid comes from the wound. You have a headache that is worse when you sit or stand. A leg "
            "becomes newly numb, tingly or weak. Your calf hurts or your leg swells. Your pain medicine does not "
            "help. You have had a fall.",
            "The Help screen of this app has buttons to call your clinic and the emergency number.",
        ],
        "stages": ["before", "procedure_day", "first_weeks", "recovering"],
    },
]

# The same version in other languages, by article key, frozen with it (journey 0005 for version 1). Every article
# has its title, summary and as many paragraphs as in English (tests/journey/test_journey_languages.py).
TRANSLATIONS: Final[dict[str, dict[str, dict[str, Any]]]] = {
    "es": {
        "what_is_mild": {
            "title": "¿Qué es MILD y para quién es?",
            "summary": "Un procedimiento pequeño que da más espacio a los nervios de la parte baja de la espalda.",
            "body": [
                "En la parte baja de la espalda hay un canal por donde pasan los nervios. La estenosis espinal "
                "lumbar quiere decir que ese canal se ha vuelto estrecho. Muchas veces una banda gruesa de "
                "tejido, llamada ligamento, aprieta los nervios.",
                "Esto puede causar dolor, adormecimiento, hormigueo o debilidad en la espalda y las piernas. "
                "Suele empeorar al estar de pie o caminar. Suele mejorar al sentarse o inclinarse hacia adelante.",
                "MILD quiere decir descompresión lumbar mínimamente invasiva. El médico hace un corte muy pequeño en "
                "la espalda. Por ahí quita un poco del ligamento grueso y un pedacito de hueso. Así los nervios "
                "tienen más espacio.",
                "El médico usa imágenes de rayos X en vivo para guiar los instrumentos. No queda ningún implante en "
                "su cuerpo. En la mayoría de los casos no necesita puntos.",
                "MILD es para personas con un estrechamiento que se ve en una resonancia o una tomografía. Otros "
                "tratamientos no les ayudaron lo suficiente, como la fisioterapia, los medicamentos o las "
                "inyecciones.",
            ],
        },
        "the_day": {
            "title": "Qué pasa ese día",
            "summary": "Cerca de una hora en la sala del procedimiento, y a casa el mismo día.",
            "body": [
                "Estará acostado boca abajo. El médico adormece la piel y el tejido de la parte baja de la espalda "
                "con anestesia local. Algunas personas también reciben un sedante suave para relajarse. Usted "
                "sigue despierto o un poco dormido.",
                "El procedimiento dura de 30 a 60 minutos. Puede sentir algo de presión, pero no debería doler.",
                "Después descansa un rato, y el equipo revisa cómo está. La mayoría de las personas se va a casa el "
                "mismo día.",
                "No puede manejar usted para volver a casa. Alguien debe llevarlo a casa y, si es posible, "
                "quedarse con usted la primera noche.",
            ],
        },
        "after_the_procedure": {
            "title": "Lo que puede sentir después",
            "summary": "Es normal tener algo de dolor en la pequeña herida por unos días.",
            "body": [
                "Por unos días puede tener dolor, un moretón o un poco de hinchazón donde se hizo el corte. Esto es "
                "común.",
                "Un analgésico de la farmacia, o el que le sugirió su clínica, suele ayudar. Siga la dosis de la "
                "caja o la que le dio su clínica.",
                "Mantenga la pequeña herida limpia y seca, como le indicó su clínica.",
                "Descanse el día del procedimiento. Desde el día siguiente, caminar un poco le ayuda a recuperarse.",
            ],
        },
        "recovery_timeline": {
            "title": "Su recuperación, semana a semana",
            "summary": "Actividad ligera en pocos días, y la mayoría se siente claramente mejor a las 6 a 8 semanas.",
            "body": [
                "Los primeros días: descanse el primer día. Luego vuelva a hacer cosas ligeras, como caminar un poco "
                "y vestirse.",
                "La primera semana: la mayoría vuelve a sus actividades diarias normales en más o menos una semana.",
                "Semanas 2 y 3: haga un poco más cada día, sin prisa, como caminar un poco más lejos.",
                "Semanas 6 a 8: para entonces, la mayoría nota una clara mejoría de sus molestias. Cada persona sana "
                "a su ritmo, así que no se preocupe si necesita un poco más de tiempo.",
                "Le haremos unas preguntas a las 2 a 3 semanas, y otra vez a las 6 a 8 semanas.",
            ],
        },
        "physical_therapy": {
            "title": "La fisioterapia y por qué ayuda",
            "summary": "Estiramientos suaves, fortalecimiento y caminatas ayudan a que su espalda se fortalezca.",
            "body": [
                "No todos necesitan fisioterapia después de MILD, pero a muchas personas les ayuda.",
                "Hay tres tipos de ejercicio. Los estiramientos suaves le mantienen flexible. El fortalecimiento "
                "sostiene la parte baja de la espalda. El ejercicio de bajo impacto le da más resistencia. Por "
                "ejemplo, caminar, la bicicleta fija o el ejercicio en el agua.",
                "Empiece con suavidad y aumente poco a poco, semana a semana. Evite levantar cosas pesadas y "
                "agacharse mucho en las primeras semanas.",
                "Si un ejercicio le aumenta mucho el dolor, pare y pruebe uno más fácil. Pregunte a su clínica si "
                "tiene dudas.",
            ],
        },
        "everyday_life": {
            "title": "Manejar, trabajar, viajar y el jardín",
            "summary": "Cuándo puede volver a las cosas que le gustan.",
            "body": [
                "Manejar: no maneje el día del procedimiento, ni mientras toma medicamentos que le dan sueño. "
                "Vuelva a manejar cuando pueda girar y frenar sin dolor, y su clínica esté de acuerdo.",
                "Trabajo: muchas personas con trabajo ligero o de escritorio vuelven en una o dos semanas. Si su "
                "trabajo es pesado, pregunte a su clínica.",
                "Viajes: los viajes cortos están bien cuando se sienta bien. En viajes largos, pare o levántese "
                "cada hora para moverse.",
                "Caminar: camine un poco cada día y vaya un poco más lejos cada vez.",
                "Jardín: empiece con tareas ligeras. Espere el consejo de su clínica antes de cavar, levantar peso "
                "o agacharse por mucho tiempo.",
            ],
        },
        "can_it_be_repeated": {
            "title": "¿Se puede repetir MILD?",
            "summary": "Sí, si sus molestias vuelven.",
            "body": [
                "Si sus molestias vuelven, MILD se puede repetir. Puede ser en el mismo lugar de la espalda o en otro.",
                "Avise a su clínica si el dolor, el adormecimiento o su forma de caminar empeoran otra vez. Ellos "
                "verán qué es lo mejor para usted.",
            ],
        },
        "how_long_it_lasts": {
            "title": "¿Cuánto dura el beneficio?",
            "summary": "En los estudios, se siguió a las personas durante 2 años.",
            "body": [
                "En el estudio principal de MILD, se siguió a los pacientes durante 2 años. En promedio, su dolor "
                "seguía claramente más bajo a los 2 años. Las actividades diarias seguían siendo claramente más "
                "fáciles que antes del procedimiento.",
                "Cada persona es diferente. Mantenerse activo, con caminatas y sus ejercicios, le ayuda a conservar "
                "el beneficio.",
                "Le haremos unas preguntas a los 6 meses, al año y a los 2 años. Sus respuestas muestran a su "
                "equipo de salud cómo está.",
            ],
        },
        "when_to_get_help": {
            "title": "Cuándo pedir ayuda",
            "summary": "Las señales de alarma, y a quién llamar.",
            "body": [
                "Vaya ahora a urgencias, o llame a su número local de emergencias, si le pasa algo de esto.",
                "No puede controlar la vejiga o el intestino, o no puede orinar. Siente adormecida la zona entre "
                "las piernas o alrededor de las nalgas. Una pierna se debilita de repente. Tiene dolor en el pecho "
                "o de repente le cuesta respirar.",
                "Llame a su clínica en las próximas 24 horas si le pasa algo de esto.",
                "Tiene fiebre de más de 38.0 C (100.4 F) o escalofríos. La herida está roja, caliente, hinchada o "
                "le sale líquido. Sale un líquido claro y aguado de la herida. Tiene un dolor de cabeza que empeora "
                "al sentarse o pararse. Una pierna está de nuevo dormida, con hormigueo o débil. Le duele la "
                "pantorrilla o se le hincha la pierna. Su analgésico no le ayuda. Se ha caído.",
                "La pantalla de Ayuda de esta aplicación tiene botones para llamar a su clínica y al número de "
                "emergencias.",
            ],
        },
    }
}
