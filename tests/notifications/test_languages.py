"""Every notification is rendered at send time in the language of the person who receives it: a Spanish-speaking
patient's reminder is Spanish in her inbox, on her phone (through a real local push service) and by email; her English
clinician's alert about her is English; a language changed after planning is the one sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail

from accounts import services as account_services
from notifications import services, tasks, transports
from notifications.management.commands.vapid_keys import vapid_key_pair
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, Notification
from recovery.models import PatientMilestone
from tests.factories import AlertFactory, CheckInFactory
from tests.notifications.support import deliveries_of, preference
from tests.notifications.test_webpush import Browser, PushService, _self_signed_certificate, _subscribe
from tests.support import procedure_done, utc

D = dt.date
ALICE_DUE = utc(2027, 5, 15, 22, 0)  # her check-in reminder: 18:00 EDT on 15 May 2027, day 5 after her procedure
SENT_AT = ALICE_DUE + dt.timedelta(minutes=1)

SPANISH_TITLE = "Es hora de su registro diario"
SPANISH_BODY = "Solo toma un minuto. Cuéntenos cómo está hoy."


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def push_service(tmp_path, settings, browser) -> Iterator[PushService]:
    cert_file, key_file = _self_signed_certificate(tmp_path)
    service = PushService(browser, cert_file, key_file)
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()
    settings.WEBPUSH_ALLOWED_HOSTS = [f"127.0.0.1:{service.port}"]
    settings.WEBPUSH_CA_BUNDLE = cert_file
    settings.WEBPUSH_TIMEOUT_SECONDS = 5
    transports._push_session.cache_clear()
    yield service
    transports._push_session.cache_clear()
    service.stop()


@pytest.fixture
def alice_recovering(cast, push_service, browser):
    """Alice (New York) is 5 days after her procedure, checked in on days 3 and 4, and wants her check-in reminder
    in the app, on her phone and by email."""
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 10))
    CheckInFactory(patient=cast.alice_profile, local_date=D(2027, 5, 13))
    CheckInFactory(patient=cast.alice_profile, local_date=D(2027, 5, 14))
    preference(cast.alice, channels={"checkin": ["push", "email"]})
    _subscribe(cast.alice, browser, push_service.endpoint("alice-phone"))
    return cast.alice_profile


def _speaks(user, language: str) -> None:
    """The person chooses their language as in PATCH /me."""
    account_services.user_update(user=user, language=language)


def _plan_reminder() -> list[Delivery]:
    with time_machine.travel(ALICE_DUE, tick=False):
        services.reminders_plan_due()
    return list(Delivery.objects.filter(kind=Kind.CHECKIN_REMINDER).order_by("channel"))


def _send_due(at: dt.datetime = SENT_AT) -> None:
    """The dispatcher and a worker, in-process: claim what is due and send it on every channel."""
    with time_machine.travel(at, tick=False):
        tasks.deliveries_send(services.deliveries_claim_due(now=at, limit=100))


@pytest.mark.django_db
def test_a_spanish_speaking_patients_checkin_reminder_is_spanish_in_the_app_on_her_phone_and_by_email(
    cast, alice_recovering, push_service
):
    _speaks(cast.alice, "es")
    planned = _plan_reminder()
    assert {r.channel for r in planned} == {Channel.INAPP, Channel.PUSH, Channel.EMAIL}

    _send_due()

    assert {r.channel: r.status for r in deliveries_of(cast.alice)} == {
        Channel.INAPP: DeliveryStatus.SENT, Channel.PUSH: DeliveryStatus.SENT, Channel.EMAIL: DeliveryStatus.SENT,
    }  # fmt: skip
    (item,) = Notification.objects.filter(recipient=cast.alice)
    assert (item.title, item.body) == (SPANISH_TITLE, SPANISH_BODY)

    assert push_service.errors == []
    (got,) = push_service.received
    assert (got.payload["title"], got.payload["body"]) == (SPANISH_TITLE, SPANISH_BODY)

    (message,) = mail.outbox
    assert message.to == ["alice@patients.example"]
    assert message.subject == SPANISH_TITLE
    assert message.body.startswith("Hola, Alice:\n")
    assert SPANISH_BODY in message.body
    assert "Abra la aplicación: https://app.test/app/checkin" in message.body
    assert "Para dejar de recibir este tipo de correo, abra:" in message.body
    (html, _), *_ = message.alternatives
    assert '<html lang="es">' in html and "<p>Hola, Alice:</p>" in html and "Abrir la aplicación" in html
    for english in ("Hello", "Open the app", "check-in", "notification settings"):
        assert english not in message.body and english not in html


@pytest.mark.django_db
def test_her_unsubscribe_page_is_in_her_language_wherever_it_is_opened(cast, alice_recovering, client):
    _speaks(cast.alice, "es")
    _plan_reminder()
    _send_due()
    (message,) = mail.outbox
    path = message.extra_headers["List-Unsubscribe"][1:-1].removeprefix("https://app.test")

    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="es">' in page
    assert "Ya no recibirá correos sobre el registro diario." in page and "Dejar de recibir estos correos" in page


@pytest.mark.django_db
def test_her_english_clinicians_alert_about_her_is_english(cast, alice_recovering):
    _speaks(cast.alice, "es")
    preference(cast.carol, channels={"alert_urgent": ["email"]})
    alert = AlertFactory(patient=cast.alice_profile, rule="fever_chills", tier="urgent", title="Fever or chills")
    now = utc(2027, 5, 15, 15, 0)
    services.alert_plan(alert_id=alert.pk, now=now)
    assert {r.channel for r in deliveries_of(cast.carol)} == {Channel.INAPP, Channel.EMAIL}

    _send_due(now)

    (item,) = Notification.objects.filter(recipient=cast.carol)
    assert (item.title, item.body) == ("Urgent alert", "Alice Adams: Fever or chills.")
    (message,) = mail.outbox
    assert message.to == ["carol@riverside.example"]
    assert message.subject == "A patient needs attention"
    assert "A patient needs attention. Open the alert queue." in message.body
    assert "Open the app:" in message.body and "Hola" not in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


@pytest.mark.django_db
def test_the_language_at_sending_time_is_the_one_used_not_the_one_at_planning(cast, alice_recovering, push_service):
    planned = _plan_reminder()  # Alice reads English when the reminder is planned
    assert planned and all(r.status == DeliveryStatus.PENDING for r in planned)

    _speaks(cast.alice, "es")  # and changes to Spanish before it is sent
    _send_due()

    (item,) = Notification.objects.filter(recipient=cast.alice)
    assert item.title == SPANISH_TITLE
    assert push_service.received[0].payload["title"] == SPANISH_TITLE
    assert mail.outbox[0].subject == SPANISH_TITLE

    # And back: the next day's reminder, planned in Spanish, goes out in English after she changes again.
    Notification.objects.all().delete()
    mail.outbox.clear()
    next_due = ALICE_DUE + dt.timedelta(days=1)
    CheckInFactory(patient=cast.alice_profile, local_date=D(2027, 5, 15))
    with time_machine.travel(next_due, tick=False):
        services.reminders_plan_due()
    _speaks(cast.alice, "en")
    _send_due(next_due + dt.timedelta(minutes=1))
    (item,) = Notification.objects.filter(recipient=cast.alice)
    assert item.title == "Time for today's check-in"
    assert mail.outbox[0].subject == "Time for today's check-in"
    assert push_service.received[-1].payload["title"] == "Time for today's check-in"


@pytest.mark.django_db
def test_the_dates_in_a_spanish_patients_inbox_are_spanish(cast):
    """Weeks 2-3 after her procedure on 10 May: the check-up opens on 24 May and closes on 31 May."""
    procedure_done(cast.alice_profile, cast.carol, D(2027, 5, 10))
    milestone = PatientMilestone.objects.get(patient=cast.alice_profile, key="weeks_2_3")
    _speaks(cast.alice, "es")
    now = utc(2027, 5, 24, 14, 0)
    services.milestone_opened_plan(milestone_id=milestone.pk, now=now)

    _send_due(now)

    (item,) = Notification.objects.filter(recipient=cast.alice, kind=Kind.MILESTONE_OPENED)
    assert item.title == "Su control de recuperación está abierto"
    assert item.body.endswith(": abierto hasta el 31 de mayo.")
