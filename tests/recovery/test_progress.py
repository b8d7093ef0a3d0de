"""The progress screen's words: the recent level of back pain, leg pain and walking against the patient's own level
before the procedure, judged on exact values and rounded only for display, and the expected course."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.utils import translation

from accounts.models import User
from recovery.progress import MEASURES, measure_progress, patient_progress, shown
from tests.factories import AssessmentFactory, CheckInFactory
from tests.recovery.support import NEW_YORK
from tests.support import local, procedure_done

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sensitive]
PROGRESS = "/api/v1/me/progress"
DAY0 = dt.date(2027, 5, 10)
BACK, LEG, WALKING = MEASURES
SINCE, UNTIL = dt.date(2027, 5, 19), dt.date(2027, 5, 25)


@pytest.fixture(autouse=True)
def _language_reset():
    """A request activates its reader's language for the rest of the thread; the direct calls here expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def alice_on_day_15(cast, time_machine):
    """Alice on the evening of day 15, with her baselines (back 7, leg 8, walking 10 minutes) and a week of
    check-ins."""
    time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 19), tick=False)
    procedure = procedure_done(cast.alice_profile, cast.carol, DAY0)
    AssessmentFactory(procedure=procedure, instrument="pain", scores={"back_pain": 7, "leg_pain": 8})
    AssessmentFactory(
        procedure=procedure, instrument="tolerance", scores={"walking_minutes": 10, "standing_minutes": 5}
    )
    # Days 9 to 15; day 8 and before fall outside the last 7 days.
    CheckInFactory(patient=cast.alice_profile, procedure=procedure, local_date=DAY0 + dt.timedelta(days=8), leg_pain=9)
    legs = [4, 4, 4, 4, 4, 3, 4]
    for n, leg in enumerate(legs):
        CheckInFactory(
            patient=cast.alice_profile,
            procedure=procedure,
            local_date=DAY0 + dt.timedelta(days=9 + n),
            back_pain=5,
            leg_pain=leg,
            walking_minutes=30 + n,
        )
    return procedure


def test_the_words_come_from_the_exact_means_of_the_last_seven_days(cast, client_for, alice_on_day_15):
    body = client_for(cast.alice).get(PROGRESS).json()

    assert (body["day"], body["procedure_date"], body["today"]) == (15, "2027-05-10", "2027-05-25")
    back, leg, walking = body["measures"]
    # Leg: mean 27/7 = 3.857..., change -29/7 = -4.142... points: shown as 4.1
    assert leg["recent"] == {
        "date_from": "2027-05-19", "date_to": "2027-05-25", "checkins": 7, "mean_exact": "27/7", "mean": 3.9
    }  # fmt: skip
    assert (leg["baseline"], leg["change_exact"], leg["change"], leg["better"]) == (8, "-29/7", -4.1, True)
    assert leg["sentence"] == "Your leg pain is 4.1 points lower than before the procedure."
    assert back["sentence"] == "Your back pain is 2 points lower than before the procedure."
    # Walking: mean 33 minutes (30..36), 23 minutes longer than 10
    assert (walking["recent"]["mean_exact"], walking["change_exact"], walking["better"]) == ("33", "23", True)
    assert walking["sentence"] == "You can walk 23 minutes longer without stopping than before the procedure."
    # The trial's 2-year figure (3.6 points) on her own baseline; none for walking
    assert leg["expected"] == {
        "improvement": 3.6,
        "level": 4.4,
        "day": 730,
        "source": "MiDAS ENCORE, MILD arm, 143 patients at 2 years",
        "sentence": "In the main study of MILD, pain was on average 3.6 points lower 2 years after the procedure than "
        "before it. For your leg pain, that would be about 4.4 out of 10.",
    }
    assert walking["expected"] is None
    assert body["course"] == {
        "sentence": "Most people notice a clear improvement 6 to 8 weeks after the procedure. Today is day 15.",
        "from_day": 42,
        "to_day": 56,
        "label": "Most people feel clearly better by weeks 6 to 8",
        "version": 1,
    }


def test_halves_are_rounded_up_for_display_only():
    # 8 -> mean 4.75: exactly 3.25 points lower, shown 3.3 (round() on the float would give 3.2)
    leg = measure_progress(LEG, 8, [5, 5, 4, 5], SINCE, UNTIL)
    assert (leg["change_exact"], leg["change"]) == ("-13/4", -3.3)
    assert leg["sentence"] == "Your leg pain is 3.3 points lower than before the procedure."
    # 10 minutes -> mean 30.5: 20.5 minutes longer, shown 21
    walking = measure_progress(WALKING, 10, [30, 31], SINCE, UNTIL)
    assert (walking["change_exact"], walking["change"]) == ("41/2", 21.0)
    assert walking["sentence"] == "You can walk 21 minutes longer without stopping than before the procedure."
    assert shown(Fraction(1, 20), 1) == "0.1" and shown(Fraction(1, 21), 1) == "0"


def test_a_spanish_reader_gets_the_numbers_in_the_spanish_format(cast, client_for, alice_on_day_15):
    User.objects.filter(pk=cast.alice.pk).update(language="es")

    body = client_for(cast.alice).get(PROGRESS).json()

    back, leg, walking = body["measures"]
    assert leg["sentence"] == "Su dolor de piernas está 4,1 puntos más bajo que antes del procedimiento."
    assert back["sentence"] == "Su dolor de espalda está 2 puntos más bajo que antes del procedimiento."
    assert walking["sentence"] == "Puede caminar sin parar 23 minutos más que antes del procedimiento."
    assert leg["expected"]["sentence"] == (
        "En el estudio principal de MILD, el dolor bajó en promedio 3,6 puntos 2 años después del procedimiento, "
        "comparado con antes. Para su dolor de piernas, eso sería cerca de 4,4 de 10."
    )
    # The numbers themselves stay numbers
    assert (leg["change"], leg["expected"]["improvement"]) == (-4.1, 3.6)


def test_shown_numbers_follow_the_active_language():
    with translation.override("es"):
        assert shown(Fraction(-13, 4), 1) == "-3,3"
        assert shown(Fraction(41, 2), 0) == "21"
        assert measure_progress(LEG, 5, [6, 7], SINCE, UNTIL)["sentence"] == (
            "Su dolor de piernas está 1,5 puntos más alto que antes del procedimiento."
        )
    with translation.override("en"):
        assert shown(Fraction(-13, 4), 1) == "-3.3"


@pytest.mark.parametrize(
    ("measure", "baseline", "recent", "sentence", "better"),
    [
        (LEG, 5, [6, 7], "Your leg pain is 1.5 points higher than before the procedure.", False),
        (BACK, 5, [6, 4], "Your back pain is the same as before the procedure.", None),
        (BACK, 5, [5] * 20 + [6], "Your back pain is about the same as before the procedure.", False),
        (BACK, 4, [3], "Your back pain is 1 point lower than before the procedure.", True),
        (WALKING, 30, [20, 21], "You can walk 10 minutes less without stopping than before the procedure.", False),
        (WALKING, 30, [30], "You can walk the same time without stopping as before the procedure.", None),
        (LEG, None, [3], "There is no score for your leg pain from before the procedure to compare with.", None),
        (LEG, 8, [], "There are no check-ins from the last 7 days to compare with.", None),
    ],
)
def test_worse_the_same_and_nothing_to_compare_are_said_plainly(measure, baseline, recent, sentence, better):
    result = measure_progress(measure, baseline, recent, SINCE, UNTIL)
    assert (result["sentence"], result["better"]) == (sentence, better)


def test_the_course_follows_the_day(cast, alice_on_day_15, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 6, 25, 12), tick=False)  # day 46
    assert patient_progress(cast.alice_profile)["course"]["sentence"].startswith("Today is day 46: most people")
    time_machine.move_to(local(NEW_YORK, 2027, 8, 1, 12), tick=False)  # day 83
    course = patient_progress(cast.alice_profile)["course"]["sentence"]
    assert course.endswith("followed patients for 2 years. Today is day 83.")
    # Nothing recent any more: the words say so rather than compare an old week
    leg = patient_progress(cast.alice_profile)["measures"][1]
    assert (leg["recent"]["checkins"], leg["sentence"]) == (
        0, "There are no check-ins from the last 7 days to compare with."
    )  # fmt: skip


def test_without_a_procedure_there_is_nothing_to_compare(cast, client_for, time_machine):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 25, 19), tick=False)
    body = client_for(cast.alice).get(PROGRESS).json()
    assert (body["day"], body["measures"], body["course"]) == (None, [], None)


def test_staff_have_no_progress_of_their_own(cast, client_for):
    assert client_for(cast.carol).get(PROGRESS).status_code == 403
