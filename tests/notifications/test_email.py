"""Email: text and HTML bodies, a subject per kind, one-click unsubscribe per topic (RFC 8058), no health details."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from notifications import services, tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, NotificationPreference
from notifications.transports import unsubscribe_token
from recovery.models import PatientMilestone
from tests.factories import AlertFactory
from tests.notifications.support import deliveries_of, preference
from tests.support import procedure_done, utc

NOW = utc(2027, 5, 24, 14, 0)
APP = "https://app.test"


@pytest.fixture
def milestone(cast) -> PatientMilestone:
    procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    return PatientMilestone.objects.get(patient=cast.alice_profile, key="weeks_2_3")


def _email_delivery(user, kind: str, occurrence: str = "2027-05-24", subject_id: str = "") -> Delivery:
    return Delivery.objects.create(
        recipient=user, kind=kind, occurrence=occurrence, channel=Channel.EMAIL, subject_id=subject_id,
        due_at=NOW, created_at=NOW, status=DeliveryStatus.QUEUED, queued_at=NOW,
    )  # fmt: skip


def _send(delivery: Delivery) -> Delivery:
    tasks.deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def _plan_and_send_milestone_email(milestone: PatientMilestone) -> Delivery:
    with time_machine.travel(NOW, tick=False):
        services.milestone_opened_plan(milestone_id=milestone.pk)
        services.deliveries_claim_due(now=NOW, limit=100)
        email = Delivery.objects.get(recipient_id=milestone.patient_id, channel=Channel.EMAIL)
        return _send(email)


def _unsubscribe_path(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{APP}/notifications/unsubscribe/") and header.endswith(">")
    return header[1:-1].removeprefix(APP)


@pytest.mark.django_db
def test_a_milestone_email_has_a_text_and_an_html_body_and_one_click_unsubscribe(cast, milestone):
    delivery = _plan_and_send_milestone_email(milestone)

    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, NOW)
    (message,) = mail.outbox
    assert message.to == ["alice@patients.example"]
    assert message.subject == "Your recovery check-up is open"
    assert "Hello Alice," in message.body
    assert "A few questions about how you are doing." in message.body
    assert f"{APP}/app/assessments" in message.body
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Hello Alice,</p>" in html and f'href="{APP}/app/assessments"' in html
    path = _unsubscribe_path(message)
    assert path in message.body and path in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@mild-recovery.local>"
    # A mailbox is not private: the email does not say which check-up it is or anything about her health.
    assert milestone.title not in message.body and milestone.title not in html


@pytest.mark.django_db
def test_an_alert_email_to_the_clinician_names_neither_the_patient_nor_the_red_flag(cast):
    alert = AlertFactory(patient=cast.alice_profile, rule="bladder_bowel_control", tier="emergency",
                         title="Loss of bladder or bowel control")  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        sent = _send(_email_delivery(cast.carol, Kind.ALERT, str(alert.pk), str(alert.pk)))
    assert sent.status == DeliveryStatus.SENT
    (message,) = mail.outbox
    assert message.subject == "A patient needs attention"
    assert message.to == ["carol@riverside.example"]
    text = f"{message.subject} {message.body} {message.alternatives[0][0]!s}".lower()
    for secret in ("alice", "adams", "bladder", "bowel"):
        assert secret not in text
    assert f"{APP}/app/clinician/alerts/{alert.pk}" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        (Kind.CHECKIN_REMINDER, "Time for today's check-in"),
        (Kind.CHECKIN_NUDGE, "We have not heard from you for a few days"),
        (Kind.MILESTONE_OPENED, "Your recovery check-up is open"),
        (Kind.MILESTONE_CLOSING, "Your recovery check-up closes soon"),
        (Kind.ALERT, "A patient needs attention"),
        (Kind.ALERT_ESCALATION, "An alert is waiting for someone to respond"),
        (Kind.ALERT_DIGEST, "Today's watch list"),
    ],
)
def test_each_kind_has_its_own_subject(cast, milestone, kind, subject):
    subject_id = ""
    if kind in (Kind.MILESTONE_OPENED, Kind.MILESTONE_CLOSING):
        subject_id = str(milestone.pk)
    elif kind in (Kind.ALERT, Kind.ALERT_ESCALATION):
        subject_id = str(AlertFactory(patient=cast.alice_profile, rule="fever_chills", tier="urgent").pk)
    with time_machine.travel(NOW, tick=False):
        assert _send(_email_delivery(cast.alice, kind, subject_id or "2027-05-24", subject_id)).status == "sent"
    assert [m.subject for m in mail.outbox] == [subject]


@pytest.mark.django_db
def test_opening_the_unsubscribe_link_shows_a_page_and_changes_nothing(cast, milestone, client):
    _plan_and_send_milestone_email(milestone)
    path = _unsubscribe_path(mail.outbox[0])

    response = client.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop these emails" in page and 'method="post"' in page
    assert "your recovery check-ups" in page
    assert not NotificationPreference.objects.filter(user=cast.alice).exists()


@pytest.mark.django_db
def test_the_one_click_post_turns_email_off_for_that_topic_only(cast, milestone, client):
    preference(cast.alice, channels={"checkin": ["push", "email"], "milestone": ["push", "email"]})
    _plan_and_send_milestone_email(milestone)
    path = _unsubscribe_path(mail.outbox[0])

    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Done" in response.content.decode()
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # a second click is harmless

    channels = NotificationPreference.objects.get(user=cast.alice).channels
    assert channels["milestone"] == ["push"]
    assert channels["checkin"] == ["push", "email"]
    # The next milestone message is not emailed; the inbox and push still get it.
    closing = PatientMilestone.objects.get(patient=cast.alice_profile, key="weeks_6_8")
    services.milestone_opened_plan(milestone_id=closing.pk, now=NOW)
    assert {r.channel for r in deliveries_of(cast.alice, subject_id=str(closing.pk))} == {Channel.INAPP, Channel.PUSH}


@pytest.mark.django_db
def test_an_unsubscribe_link_with_default_preferences_keeps_the_other_defaults(cast, milestone, client):
    _plan_and_send_milestone_email(milestone)
    client.post(_unsubscribe_path(mail.outbox[0]))
    pref = NotificationPreference.objects.get(user=cast.alice)
    assert pref.channels_for("milestone") == ["push"]
    assert pref.channels_for("checkin") == ["push"]
    assert pref.channels_for("exercise") == ["push"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_unsubscribe_token_is_not_found(cast, milestone, client, method):
    _plan_and_send_milestone_email(milestone)
    path = _unsubscribe_path(mail.outbox[0])
    token = path.rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    altered_payload = token.split(":")[0][:-2] + "xx:" + ":".join(token.split(":")[1:])
    unknown_topic = unsubscribe_token(cast.alice.pk, "weather")
    for bad in (tampered, altered_payload, unknown_topic, "nonsense"):
        response = getattr(client, method)(f"/notifications/unsubscribe/{bad}")
        assert response.status_code == 404, bad
    assert not NotificationPreference.objects.filter(user=cast.alice).exists()


@pytest.mark.django_db
def test_no_email_to_a_deactivated_person(cast):
    cast.alice.is_active = False
    cast.alice.save()
    with time_machine.travel(NOW, tick=False):
        sent = _send(_email_delivery(cast.alice, Kind.CHECKIN_REMINDER))
    assert sent.status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_server_that_is_down_means_retry_later(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with time_machine.travel(NOW, tick=False):
        sent = _send(_email_delivery(cast.alice, Kind.CHECKIN_REMINDER))
    assert (sent.status, sent.attempts) == (DeliveryStatus.PENDING, 1)
    assert sent.last_error.startswith("mail server: ")
    assert sent.due_at > NOW
