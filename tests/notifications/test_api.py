"""The notifications API: the inbox, preferences, push subscriptions and the delivery history, with bad input refused
field by field and nothing stored, and other people's rows answering 404."""

from __future__ import annotations

import base64
import datetime as dt
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from accounts.models import PatientProfile, PHIAccess
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from tests.support import utc

INBOX = "/api/v1/me/inbox"
UNREAD = "/api/v1/me/inbox/unread-count"
READ_ALL = "/api/v1/me/inbox/read-all"
PREFERENCES = "/api/v1/me/notification-preferences"
SUBSCRIPTIONS = "/api/v1/me/push-subscriptions"
MY_DELIVERIES = "/api/v1/me/deliveries"
NOW = utc(2027, 5, 15, 15, 0)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _p256dh() -> str:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return _b64url(key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


# A valid key whose base64url text has "-" or "_" in it (most do).
_KEY = next(key for key in iter(_p256dh, None) if "-" in key or "_" in key)


def _notification(user, title: str, minutes_ago: int, read: bool = False, kind: str = Kind.CHECKIN_REMINDER):
    at = NOW - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=user, kind=kind, occurrence=title, title=title, body="", url="https://app.test/app",
        created_at=at, read_at=at if read else None,
    )  # fmt: skip


# --- Inbox ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def alice_inbox(cast):
    """Alice's inbox: an old unread, a newer read, the newest unread. Bob has one of his own."""
    return {
        "old_unread": _notification(cast.alice, "old unread", 300),
        "read": _notification(cast.alice, "read", 120, read=True),
        "new_unread": _notification(cast.alice, "new unread", 10),
        "bobs": _notification(cast.bob, "bob's", 5),
    }


@pytest.mark.django_db
def test_the_inbox_lists_unread_first_then_newest_and_only_ones_own(cast, alice_inbox, client_for):
    response = client_for(cast.alice).get(INBOX)
    assert response.status_code == 200
    body = response.json()
    assert [n["title"] for n in body["results"]] == ["new unread", "old unread", "read"]
    assert [n["read"] for n in body["results"]] == [False, False, True]
    assert body["count"] == 3
    assert set(body["results"][0]) == {"id", "kind", "about", "title", "body", "url", "created_at", "read_at", "read"}
    # Her own items are about nobody else (a caregiver's name the patient: tests/notifications/test_caregivers.py).
    assert {n["about"] for n in body["results"]} == {None}


@pytest.mark.django_db
def test_the_unread_count(cast, alice_inbox, client_for):
    assert client_for(cast.alice).get(UNREAD).json() == {"unread": 2}
    assert client_for(cast.bob).get(UNREAD).json() == {"unread": 1}
    assert client_for(cast.carol).get(UNREAD).json() == {"unread": 0}


@pytest.mark.django_db
def test_marking_one_read(cast, alice_inbox, client_for):
    client = client_for(cast.alice)
    item = alice_inbox["old_unread"]
    response = client.post(f"{INBOX}/{item.pk}/read")
    assert response.status_code == 200
    assert response.json()["read"] is True
    first_read_at = Notification.objects.get(pk=item.pk).read_at
    assert first_read_at is not None
    assert client.get(UNREAD).json() == {"unread": 1}
    # Marking it again keeps the first time it was read.
    assert client.post(f"{INBOX}/{item.pk}/read").status_code == 200
    assert Notification.objects.get(pk=item.pk).read_at == first_read_at


@pytest.mark.django_db
def test_marking_all_read_touches_only_ones_own(cast, alice_inbox, client_for):
    response = client_for(cast.alice).post(READ_ALL)
    assert response.status_code == 200
    assert response.json() == {"unread": 0}
    assert not Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=alice_inbox["bobs"].pk).read_at is None


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found_and_stays_unread(cast, alice_inbox, client_for):
    item = alice_inbox["new_unread"]
    for user in (cast.bob, cast.carol, cast.frank):
        assert client_for(user).post(f"{INBOX}/{item.pk}/read").status_code == 404
    assert client_for(cast.alice).post(f"{INBOX}/00000000-0000-0000-0000-000000000000/read").status_code == 404
    assert Notification.objects.get(pk=item.pk).read_at is None


@pytest.mark.django_db
def test_the_inbox_needs_sign_in(api):
    for path in (INBOX, UNREAD, PREFERENCES, SUBSCRIPTIONS, MY_DELIVERIES):
        assert api.get(path).status_code == 401


# --- Preferences ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_patients_preferences_start_with_the_defaults(cast, client_for):
    response = client_for(cast.alice).get(PREFERENCES)
    assert response.status_code == 200
    body = response.json()
    assert dt.time.fromisoformat(body["checkin_reminder_time"]) == dt.time(18, 0)
    assert body["quiet_hours_start"] is None and body["quiet_hours_end"] is None
    assert body["paused"] is False
    assert body["channels"] == {"checkin": ["push"], "exercise": ["push"], "milestone": ["push", "email"]}
    assert body["time_zone"] == "America/New_York"


@pytest.mark.django_db
def test_a_patient_sets_reminder_time_quiet_hours_channels_and_zone(cast, client_for):
    response = client_for(cast.alice).patch(
        PREFERENCES,
        {
            "checkin_reminder_time": "08:30",
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:00",
            "channels": {"checkin": ["email", "push"], "milestone": []},
            "time_zone": "Europe/Berlin",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert dt.time.fromisoformat(body["checkin_reminder_time"]) == dt.time(8, 30)
    assert body["channels"] == {"checkin": ["email", "push"], "exercise": ["push"], "milestone": []}
    assert body["time_zone"] == "Europe/Berlin"
    stored = NotificationPreference.objects.get(user=cast.alice)
    assert (stored.checkin_reminder_time, stored.quiet_hours_start, stored.quiet_hours_end) == (
        dt.time(8, 30), dt.time(22, 0), dt.time(7, 0),
    )  # fmt: skip
    assert PatientProfile.objects.get(pk=cast.alice.pk).time_zone == "Europe/Berlin"


@pytest.mark.django_db
def test_a_patient_pauses_everything_and_resumes(cast, client_for):
    client = client_for(cast.alice)
    assert client.patch(PREFERENCES, {"paused": True}, format="json").json()["paused"] is True
    assert NotificationPreference.objects.get(user=cast.alice).paused
    assert client.patch(PREFERENCES, {"paused": False}, format="json").json()["paused"] is False


@pytest.mark.django_db
def test_quiet_hours_can_be_turned_off(cast, client_for):
    client = client_for(cast.alice)
    client.patch(PREFERENCES, {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}, format="json")
    response = client.patch(PREFERENCES, {"quiet_hours_start": None, "quiet_hours_end": None}, format="json")
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=cast.alice).quiet_hours_start is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"checkin_reminder_time": "25:00"}, "checkin_reminder_time"),
        ({"checkin_reminder_time": "8 o'clock"}, "checkin_reminder_time"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "EST5EDT; DROP TABLE"}, "time_zone"),
        ({"quiet_hours_start": "22:00", "quiet_hours_end": "22:00"}, "quiet_hours_end"),
        ({"quiet_hours_start": "22:00"}, "quiet_hours_end"),
        ({"channels": {"weather": ["push"]}}, "channels"),
        ({"channels": {"checkin": ["sms"]}}, "channels.checkin.0"),
        ({"channels": {"checkin": "push"}}, "channels.checkin"),
        ({"channels": {"alert_emergency": ["push"]}}, "channels"),  # a clinician's topic
        ({"paused": "perhaps"}, "paused"),
        ({"snooze": True}, "snooze"),
        # One bad field spoils the whole request: the good ones are not stored either.
        ({"checkin_reminder_time": "07:00", "time_zone": "Nowhere/Land"}, "time_zone"),
        ({"time_zone": "Europe/Berlin", "channels": {"checkin": ["pigeon"]}}, "channels.checkin.0"),
    ],
)
def test_bad_patient_preferences_are_refused_field_by_field_and_nothing_is_stored(cast, client_for, body, field):
    response = client_for(cast.alice).patch(PREFERENCES, body, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert not NotificationPreference.objects.filter(user=cast.alice).exists()
    assert PatientProfile.objects.get(pk=cast.alice.pk).time_zone == "America/New_York"


@pytest.mark.django_db
def test_equal_quiet_hours_are_refused_against_the_stored_ones_too(cast, client_for):
    client = client_for(cast.alice)
    client.patch(PREFERENCES, {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}, format="json")
    response = client.patch(PREFERENCES, {"quiet_hours_end": "22:00"}, format="json")
    assert response.status_code == 400
    assert "quiet_hours_end" in response.json()["errors"]
    assert NotificationPreference.objects.get(user=cast.alice).quiet_hours_end == dt.time(7, 0)


@pytest.mark.django_db
def test_a_clinician_chooses_alert_channels_digest_time_and_zone(cast, client_for):
    client = client_for(cast.carol)
    body = client.get(PREFERENCES).json()
    assert body["channels"] == {
        "alert_emergency": ["push", "email"],
        "alert_urgent": ["push", "email"],
        "alert_digest": ["email"],
    }
    assert body["time_zone"] == "America/New_York"  # her clinic's

    response = client.patch(
        PREFERENCES,
        {"channels": {"alert_urgent": ["email"]}, "digest_time": "07:30", "time_zone": "Europe/Berlin"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    stored = NotificationPreference.objects.get(user=cast.carol)
    assert stored.channels == {"alert_urgent": ["email"]}
    assert (stored.digest_time, stored.time_zone) == (dt.time(7, 30), "Europe/Berlin")
    assert response.json()["time_zone"] == "Europe/Berlin"


@pytest.mark.django_db
def test_a_clinician_cannot_choose_patient_topics(cast, client_for):
    response = client_for(cast.carol).patch(PREFERENCES, {"channels": {"checkin": ["push"]}}, format="json")
    assert response.status_code == 400
    assert "channels" in response.json()["errors"]
    assert not NotificationPreference.objects.filter(user=cast.carol).exists()


# --- Push subscriptions -----------------------------------------------------------------------------------------------


def _subscription(endpoint: str = "https://fcm.googleapis.com/fcm/send/abc123", **keys: str) -> dict:
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": _p256dh(), "auth": _b64url(os.urandom(16)), **keys},
    }


@pytest.mark.django_db
def test_a_device_registers_is_listed_and_is_removed(cast, client_for):
    client = client_for(cast.alice)
    response = client.post(SUBSCRIPTIONS, _subscription(), format="json", HTTP_USER_AGENT="Firefox on Alice's phone")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["endpoint"] == "https://fcm.googleapis.com/fcm/send/abc123"
    assert created["user_agent"] == "Firefox on Alice's phone"
    assert "keys" not in created and "p256dh" not in created

    assert [s["id"] for s in client.get(SUBSCRIPTIONS).json()] == [created["id"]]
    assert client_for(cast.bob).get(SUBSCRIPTIONS).json() == []
    assert client_for(cast.bob).delete(f"{SUBSCRIPTIONS}/{created['id']}").status_code == 404
    assert client.delete(f"{SUBSCRIPTIONS}/{created['id']}").status_code == 204
    assert not PushSubscription.objects.exists()
    assert client.delete(f"{SUBSCRIPTIONS}/{created['id']}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    [
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://eu-west.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QOk1abc",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ],
)
def test_the_known_push_services_are_accepted(cast, client_for, endpoint):
    response = client_for(cast.alice).post(SUBSCRIPTIONS, _subscription(endpoint), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.django_db
def test_registering_the_same_device_again_updates_it(cast, client_for):
    client = client_for(cast.alice)
    client.post(SUBSCRIPTIONS, _subscription(), format="json")
    again = _subscription()
    assert client.post(SUBSCRIPTIONS, again, format="json").status_code == 201
    (stored,) = PushSubscription.objects.all()
    assert stored.p256dh == again["keys"]["p256dh"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_subscription("http://fcm.googleapis.com/fcm/send/abc"), "endpoint"),
        (_subscription("https://push.evil.example/steal"), "endpoint"),
        (_subscription("https://fcm.googleapis.com.evil.example/fcm/send/abc"), "endpoint"),
        (_subscription("https://evilpush.services.mozilla.com/wpush"), "endpoint"),
        (_subscription("https://fcm.googleapis.com:8443/fcm/send/abc"), "endpoint"),
        (_subscription("https://10.0.0.7/push"), "endpoint"),
        (_subscription("https://127.0.0.1/push"), "endpoint"),
        (_subscription("https://[::1]/push"), "endpoint"),
        (_subscription("not a url"), "endpoint"),
        ({"keys": _subscription()["keys"]}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/fcm/send/abc"}, "keys"),
        ({**_subscription(), "keys": {"p256dh": _p256dh()}}, "keys.auth"),
        (_subscription(p256dh="not base64 at all!!"), "keys.p256dh"),
        # A real key with junk inserted (decoders that skip unknown characters would accept it) or in the other
        # base64 alphabet.
        (_subscription(p256dh=_KEY[:40] + "!!!!" + _KEY[40:]), "keys.p256dh"),
        (_subscription(p256dh=_KEY[:40] + "*" + _KEY[40:]), "keys.p256dh"),
        (_subscription(p256dh=_KEY.replace("-", "+").replace("_", "/")), "keys.p256dh"),
        (_subscription(p256dh=_b64url(b"\x02" + os.urandom(32))), "keys.p256dh"),  # compressed point: 33 bytes
        (_subscription(p256dh=_b64url(b"\x05" + os.urandom(64))), "keys.p256dh"),  # 65 bytes, not a point
        (_subscription(p256dh=_b64url(b"\x04" + b"\x01" * 64)), "keys.p256dh"),  # a point off the curve
        (_subscription(auth=_b64url(os.urandom(8))), "keys.auth"),
        (_subscription(auth="%%%%"), "keys.auth"),
        ({**_subscription(), "owner": "bob"}, "owner"),
    ],
)
def test_a_bad_subscription_is_refused_and_nothing_is_stored(cast, client_for, body, field):
    response = client_for(cast.alice).post(SUBSCRIPTIONS, body, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert field in errors, errors
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_the_vapid_public_key_is_published_for_the_pwa(cast, client_for, settings):
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    assert client_for(cast.alice).get("/api/v1/push/vapid-public-key").json() == {"public_key": "BPublicKey"}


# --- Delivery history -------------------------------------------------------------------------------------------------


@pytest.fixture
def alice_deliveries(cast):
    def row(channel, status, minutes_ago, **fields):
        return Delivery.objects.create(
            recipient=cast.alice, kind=Kind.CHECKIN_REMINDER, occurrence=f"2027-05-{15 - minutes_ago // 1440:02d}",
            channel=channel, due_at=NOW - dt.timedelta(minutes=minutes_ago), created_at=NOW, status=status, **fields,
        )  # fmt: skip

    rows = [
        row(Channel.INAPP, DeliveryStatus.SENT, 0, attempts=1, sent_at=NOW),
        row(Channel.PUSH, DeliveryStatus.FAILED, 0, attempts=6, last_error="gave up after 6 attempts"),
        row(Channel.INAPP, DeliveryStatus.SKIPPED, 1440, last_error="check-in already done"),
    ]
    Delivery.objects.create(
        recipient=cast.bob, kind=Kind.CHECKIN_REMINDER, occurrence="2027-05-15", channel=Channel.INAPP,
        due_at=NOW, created_at=NOW,
    )  # fmt: skip
    return rows


@pytest.mark.django_db
def test_a_patient_sees_whether_each_message_went_out(cast, alice_deliveries, client_for):
    response = client_for(cast.alice).get(MY_DELIVERIES)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [alice_deliveries[1].pk, alice_deliveries[0].pk, alice_deliveries[2].pk]
    failed = results[0]
    assert (failed["channel"], failed["status"], failed["attempts"], failed["last_error"]) == (
        "push", "failed", 6, "gave up after 6 attempts",
    )  # fmt: skip
    assert set(failed) == {
        "id", "kind", "occurrence", "channel", "due_at", "status", "attempts", "last_error", "queued_at", "sent_at",
    }  # fmt: skip
    assert [r["id"] for r in client_for(cast.alice).get(MY_DELIVERIES, {"status": "skipped"}).json()["results"]] == [
        alice_deliveries[2].pk
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"status": "lost"}, {"kind": "weather"}, {"due_from": "yesterday"}, {"due_from": "2027-05-16T00:00:00Z",
     "due_to": "2027-05-15T00:00:00Z"}, {"colour": "red"}],
)  # fmt: skip
def test_bad_delivery_filters_are_refused(cast, alice_deliveries, client_for, query):
    assert client_for(cast.alice).get(MY_DELIVERIES, query).status_code == 400


@pytest.mark.django_db
def test_the_care_team_sees_a_patients_deliveries_and_the_read_is_logged(cast, alice_deliveries, client_for):
    path = f"/api/v1/patients/{cast.alice.pk}/deliveries"
    before = PHIAccess.objects.filter(actor=cast.carol).count()

    response = client_for(cast.carol).get(path)

    assert response.status_code == 200
    assert {r["id"] for r in response.json()["results"]} == {d.pk for d in alice_deliveries}
    logged = PHIAccess.objects.filter(actor=cast.carol)
    assert logged.count() == before + 1
    assert (logged.first().patient_id, logged.first().resource) == (cast.alice.pk, "notifications.deliveries")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["dave", "erin", "grace", "bob", "heidi"])
def test_anyone_else_gets_404_for_a_patients_deliveries_and_nothing_is_logged(cast, alice_deliveries, client_for, who):
    before = PHIAccess.objects.count()
    response = client_for(getattr(cast, who)).get(f"/api/v1/patients/{cast.alice.pk}/deliveries")
    assert response.status_code == 404
    assert "results" not in response.json()
    assert PHIAccess.objects.count() == before


@pytest.mark.django_db
def test_the_clinic_admin_sees_the_clinics_patients_deliveries_as_for_every_record(cast, alice_deliveries, client_for):
    # ARCHITECTURE.md: a clinic admin's scope is their clinic.
    response = client_for(cast.frank).get(f"/api/v1/patients/{cast.alice.pk}/deliveries")
    assert response.status_code == 200
    assert PHIAccess.objects.filter(actor=cast.frank).count() == 1
