"""The shipped exercise library in Spanish (recovery.content.exercises_default has the English), by exercise key.

Frozen in the data migration that installs it (exercises 0004): changing a text here means a new data migration that
writes it (tests/exercises/test_exercises_languages.py fails otherwise). Each list has as many entries as the English
one, in the same order. Written like the English: "usted", short sentences, plain words, Latin-American neutral.
"""

from __future__ import annotations

from typing import Final

_STOP_IF_WORSE: Final = (
    "Deténgase si el dolor sube mucho, o si siente las piernas de nuevo dormidas, con hormigueo o débiles."
)
_ROLL_OUT_OF_BED: Final = "Para levantarse, gire primero de lado y luego empújese hacia arriba con los brazos."
_HOLD_ON: Final = "Sosténgase todo el tiempo de algo firme, como la encimera de la cocina."

SPANISH: Final[dict[str, dict[str, str | list[str]]]] = {
    "pelvic_tilt": {
        "name": "Inclinación de la pelvis",
        "steps": [
            "Acuéstese boca arriba en la cama, con las rodillas dobladas y los pies apoyados.",
            "Apriete suavemente los músculos de la barriga.",
            "Presione la parte baja de la espalda contra la cama.",
            "Mantenga mientras cuenta despacio hasta 5. Siga respirando.",
            "Relájese y repita.",
        ],
        "precautions": ["Haga el movimiento pequeño y suave.", _ROLL_OUT_OF_BED, _STOP_IF_WORSE],
    },
    "seated_hamstring_stretch": {
        "name": "Estiramiento de la parte de atrás del muslo, sentado",
        "steps": [
            "Siéntese en el borde de una silla firme.",
            "Estire una pierna hacia adelante, con el talón en el piso y los dedos hacia arriba.",
            "Mantenga la espalda recta. Inclínese un poco hacia adelante desde la cadera.",
            "Pare cuando sienta un estiramiento suave detrás del muslo.",
            "Mantenga, respirando con normalidad. Luego relájese y cambie de pierna.",
        ],
        "precautions": [
            "Inclínese solo un poco. No se agache mucho.",
            "Debe sentir un tirón suave, no dolor.",
            _STOP_IF_WORSE,
        ],
    },
    "knee_to_chest": {
        "name": "Una rodilla al pecho",
        "steps": [
            "Acuéstese boca arriba en la cama, con las dos rodillas dobladas.",
            "Sujete con las dos manos la parte de atrás de un muslo.",
            "Lleve suavemente esa rodilla hacia el pecho.",
            "Pare cuando sienta un estiramiento suave en la parte baja de la espalda o en la nalga.",
            "Mantenga, respirando con normalidad. Baje la pierna despacio y cambie de pierna.",
        ],
        "precautions": [
            "Haga una pierna a la vez.",
            "No jale con fuerza ni dé rebotes.",
            _ROLL_OUT_OF_BED,
            _STOP_IF_WORSE,
        ],
    },
    "standing_calf_stretch": {
        "name": "Estiramiento de pantorrilla, de pie",
        "steps": [
            "Párese frente a la encimera de la cocina y sosténgase con las dos manos.",
            "Dé un paso atrás con un pie. Mantenga esa pierna recta y el talón en el piso.",
            "Doble un poco la rodilla de adelante, hasta sentir un estiramiento detrás de la otra pantorrilla.",
            "Mantenga y luego cambie de pierna.",
        ],
        "precautions": [_HOLD_ON, _STOP_IF_WORSE],
    },
    "seated_hip_stretch": {
        "name": "Estiramiento de cadera, sentado",
        "steps": [
            "Siéntese en una silla firme con los dos pies apoyados en el piso.",
            "Si puede, apoye un tobillo sobre la otra rodilla.",
            "Presione suavemente la rodilla levantada, hasta sentir un estiramiento en la cadera o la nalga.",
            "Mantenga y luego cambie de pierna.",
        ],
        "precautions": [
            "Si el tobillo no llega a la rodilla, apóyelo sobre la otra espinilla.",
            "Siéntese derecho. No se incline mucho hacia adelante.",
            _STOP_IF_WORSE,
        ],
    },
    "cat_camel": {
        "name": "Gato y camello",
        "steps": [
            "Póngase en cuatro apoyos, con manos y rodillas, en la cama o en una colchoneta firme.",
            "Ponga las manos debajo de los hombros y las rodillas debajo de la cadera.",
            "Arquee despacio la espalda hacia el techo y deje caer la cabeza.",
            "Luego deje despacio la espalda plana otra vez y levante la cabeza.",
            "Haga el movimiento pequeño y suave.",
        ],
        "precautions": [
            "Hágalo solo si puede ponerse en cuatro apoyos, y volver a levantarse, sin peligro.",
            "No deje que la espalda se hunda. Eso puede traer de vuelta las molestias en las piernas.",
            _STOP_IF_WORSE,
        ],
    },
    "abdominal_bracing": {
        "name": "Apretar la barriga",
        "steps": [
            "Acuéstese boca arriba con las rodillas dobladas, o siéntese derecho en una silla.",
            "Tome aire.",
            "Al soltar el aire, meta suavemente el ombligo, como si se ajustara un cinturón.",
            "Mantenga mientras cuenta hasta 5, y siga respirando.",
            "Relájese y repita.",
        ],
        "precautions": ["No aguante la respiración.", _STOP_IF_WORSE],
    },
    "bridge": {
        "name": "Puente",
        "steps": [
            "Acuéstese boca arriba en la cama, con las rodillas dobladas y los pies apoyados y un poco separados.",
            "Apriete suavemente los músculos de la barriga.",
            "Apriete las nalgas y levante un poco la cadera de la cama.",
            "Mantenga mientras cuenta hasta 3 y baje despacio.",
        ],
        "precautions": [
            "Suba solo hasta donde esté cómodo. No arquee la espalda.",
            _ROLL_OUT_OF_BED,
            _STOP_IF_WORSE,
        ],
    },
    "heel_raises": {
        "name": "Subir los talones",
        "steps": [
            "Párese frente a la encimera de la cocina y sosténgase con las dos manos.",
            "Ponga los pies un poco separados.",
            "Suba despacio sobre las puntas de los pies.",
            "Baje despacio los talones hasta el piso.",
        ],
        "precautions": [_HOLD_ON, _STOP_IF_WORSE],
    },
    "sit_to_stand": {
        "name": "Sentarse y pararse",
        "steps": [
            "Siéntese cerca del borde de una silla firme con brazos, con los pies apoyados y un poco separados.",
            "Inclínese un poco hacia adelante, con la nariz sobre los dedos de los pies.",
            "Empuje con las piernas para ponerse de pie. Use los brazos de la silla si lo necesita.",
            "Quédese derecho un momento.",
            "Siéntese otra vez despacio.",
        ],
        "precautions": [
            "Use una silla fuerte que no se deslice. Ponga el respaldo contra la pared.",
            "Si le cuesta mantener el equilibrio, tenga a alguien cerca las primeras veces.",
            _STOP_IF_WORSE,
        ],
    },
    "standing_hip_side_raise": {
        "name": "Levantar la pierna de lado, de pie",
        "steps": [
            "Párese frente a la encimera de la cocina y sosténgase con las dos manos.",
            "Párese derecho, con los dedos de los pies hacia adelante.",
            "Levante despacio una pierna hacia el lado, solo un poco.",
            "Bájela despacio. Haga todas las repeticiones y luego cambie de pierna.",
        ],
        "precautions": [
            "Levante la pierna poco. No incline el cuerpo hacia el otro lado.",
            _HOLD_ON,
            _STOP_IF_WORSE,
        ],
    },
    "seated_knee_straightening": {
        "name": "Estirar la rodilla, sentado",
        "steps": [
            "Siéntese bien atrás en una silla firme, con la espalda apoyada.",
            "Estire despacio una rodilla, hasta que la pierna quede recta hacia adelante.",
            "Mantenga un momento y bájela despacio.",
            "Haga todas las repeticiones y luego cambie de pierna.",
        ],
        "precautions": [_STOP_IF_WORSE],
    },
    "walking": {
        "name": "Caminar",
        "steps": [
            "Use zapatos cómodos que no resbalen.",
            "Use su bastón o andador si normalmente lo usa.",
            "Camine a paso tranquilo en terreno plano. Debe poder hablar mientras camina.",
            "Siéntese a descansar si las piernas se cansan o le duelen.",
        ],
        "precautions": [
            "Elija caminos planos y parejos, con lugares para sentarse a descansar.",
            "Evite caminos con hielo, mojados o con mucha gente.",
            _STOP_IF_WORSE,
        ],
    },
    "seated_marching": {
        "name": "Marchar sentado",
        "steps": [
            "Siéntese cerca del borde de una silla firme, con los pies apoyados en el piso.",
            "Sujétese de los lados de la silla si lo necesita.",
            "Levante un poco una rodilla y vuelva a bajar el pie.",
            "Haga lo mismo con la otra pierna, como si marchara.",
            "Mantenga un ritmo parejo y respire con normalidad.",
        ],
        "precautions": ["Use una silla fuerte y sin ruedas.", _STOP_IF_WORSE],
    },
    "stationary_bike": {
        "name": "Bicicleta fija",
        "steps": [
            "Una bicicleta con respaldo suele ser la más cómoda.",
            "Ajuste el asiento para que la rodilla quede un poco doblada abajo de cada vuelta.",
            "Sosténgase y súbase despacio. Pida ayuda si la necesita.",
            "Pedalee despacio, con poca o ninguna resistencia.",
            "Aumente el tiempo poco a poco con las semanas.",
        ],
        "precautions": [
            "Mantenga la resistencia baja las primeras semanas.",
            "Tenga mucho cuidado al subir y bajar. Es cuando ocurren las caídas.",
            _STOP_IF_WORSE,
        ],
    },
    "water_walking": {
        "name": "Caminar en la piscina",
        "steps": [
            "Use una piscina con escalones y pasamanos.",
            "Párese en agua que le llegue entre la cintura y el pecho.",
            "Camine hacia adelante despacio, moviendo los brazos con suavidad.",
            "Quédese cerca del borde, para sostenerse si lo necesita.",
            "Descanse en el borde cada vez que lo necesite.",
        ],
        "precautions": [
            "Empiece solo cuando la herida esté bien sanada y su clínica esté de acuerdo.",
            "Tenga cuidado con el piso mojado alrededor de la piscina.",
            "No se tire de cabeza ni salte al agua.",
            _STOP_IF_WORSE,
        ],
    },
}
