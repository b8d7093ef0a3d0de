"""Web Push against a real local push service over HTTPS: it decrypts each message with the subscription's keys
(RFC 8291, aes128gcm) and checks the VAPID signature, the way a browser vendor's service and the browser would."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from notifications import services, tasks, transports
from notifications.management.commands.vapid_keys import vapid_key_pair
from notifications.models import Channel, Delivery, DeliveryStatus, Kind, PushSubscription
from recovery.models import PatientMilestone
from tests.factories import AlertFactory
from tests.notifications.support import checkin_record
from tests.support import procedure_done, utc

NOW = utc(2027, 5, 15, 15, 0)
APP = "https://app.test"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """What a browser keeps for one push subscription: an ECDH key pair and the 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: __import__("os").urandom(16))

    @property
    def p256dh(self) -> str:
        return _b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    text: str  # the decrypted body
    payload: dict[str, Any]


class PushService:
    """A push service on 127.0.0.1 over HTTPS. It answers each path with the status set for it (201 by default)."""

    def __init__(self, browser: Browser, cert_file: str, key_file: str) -> None:
        self.browser = browser
        self.received: list[Received] = []
        self.errors: list[str] = []
        self.status: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    text = http_ece.decrypt(
                        body,
                        private_key=service.browser.private_key,
                        auth_secret=service.browser.auth,
                        version="aes128gcm",
                    ).decode()
                    service.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, text, json.loads(text))
                    )
                except Exception as exc:
                    service.errors.append(f"{self.path}: {exc!r}")
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def endpoint(self, name: str) -> str:
        return f"https://127.0.0.1:{self.port}/push/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _self_signed_certificate(directory) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test push service")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2045, 1, 1, tzinfo=dt.UTC))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "push.crt", directory / "push.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_file), str(key_file)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def push_service(tmp_path, settings, browser) -> Iterator[PushService]:
    cert_file, key_file = _self_signed_certificate(tmp_path)
    service = PushService(browser, cert_file, key_file)
    public, private = vapid_key_pair()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    settings.WEBPUSH_ALLOWED_HOSTS = [f"127.0.0.1:{service.port}", f"127.0.0.1:{_CLOSED_PORT}"]
    settings.WEBPUSH_CA_BUNDLE = cert_file
    settings.WEBPUSH_TIMEOUT_SECONDS = 5
    settings.DELIVERY_MAX_ATTEMPTS = 6
    transports._push_session.cache_clear()
    yield service
    transports._push_session.cache_clear()
    service.stop()


_CLOSED_PORT = _closed_port()


def _subscribe(user, browser: Browser, endpoint: str) -> PushSubscription:
    return PushSubscription.objects.create(
        user=user, endpoint=endpoint, p256dh=browser.p256dh, auth=_b64url(browser.auth)
    )


def _push_delivery(
    user, kind: str = Kind.CHECKIN_REMINDER, occurrence: str = "2027-05-15", subject_id: str = ""
) -> Delivery:
    return Delivery.objects.create(
        recipient=user, kind=kind, occurrence=occurrence, channel=Channel.PUSH, subject_id=subject_id,
        due_at=NOW, created_at=NOW, status=DeliveryStatus.QUEUED, queued_at=NOW,
    )  # fmt: skip


def _send(delivery: Delivery) -> Delivery:
    """Send as a worker would: the chunk task, in-process."""
    tasks.deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def _verify_vapid(authorization: str, audience: str, public_key: str, subject: str) -> None:
    """`vapid t=<JWT>, k=<public key>` (RFC 8292): the JWT is ES256-signed by the application server's key."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key
    header, claims, signature = parts["t"].split(".")
    raw = _unb64url(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(parts["k"]))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    assert json.loads(_unb64url(header))["alg"] == "ES256"
    decoded = json.loads(_unb64url(claims))
    assert decoded["aud"] == audience
    assert decoded["sub"] == subject


# --- What the push service receives -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_daily_reminder_reaches_the_push_service_encrypted_signed_and_with_its_ttl(
    cast, push_service, browser, settings
):
    _subscribe(cast.alice, browser, push_service.endpoint("alice-phone"))
    delivery = _push_delivery(cast.alice)

    with time_machine.travel(NOW, tick=False):
        sent = _send(delivery)

    assert push_service.errors == [], (sent.status, sent.last_error)
    assert push_service.received, (sent.status, sent.last_error)
    (got,) = push_service.received
    assert got.path == "/push/alice-phone"
    assert got.payload == {
        "title": "Time for today's check-in",
        "body": "It takes a minute. Tell us how you are today.",
        "url": f"{APP}/app/checkin",
        "tag": "checkin_reminder",
    }
    assert got.headers["content-encoding"] == "aes128gcm"
    assert got.headers["ttl"] == str(12 * 60 * 60)
    assert got.headers["urgency"] == "normal"
    assert got.headers["topic"] == f"d{delivery.pk}"
    _verify_vapid(
        got.headers["authorization"], f"https://127.0.0.1:{push_service.port}", settings.VAPID_PUBLIC_KEY,
        settings.VAPID_SUBJECT,
    )  # fmt: skip
    assert (sent.status, sent.attempts, sent.sent_at, sent.last_error) == (DeliveryStatus.SENT, 1, NOW, "")
    assert PushSubscription.objects.get(user=cast.alice).last_success_at == NOW


@pytest.mark.django_db
def test_an_alert_push_says_nothing_about_the_patient_or_their_health(
    cast, push_service, browser, django_capture_on_commit_callbacks
):
    """Alice reports loss of bladder control with pain 3/4: Dr Carol's lock screen shows none of it."""
    _subscribe(cast.carol, browser, push_service.endpoint("carol-phone"))
    procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        (alert,) = checkin_record(
            cast.alice_profile, dt.date(2027, 5, 15), now=NOW, red_flags=["bladder_bowel_control"]
        ).alerts
    push = Delivery.objects.get(recipient=cast.carol, kind=Kind.ALERT, channel=Channel.PUSH)
    with time_machine.travel(NOW + dt.timedelta(seconds=10), tick=False):
        services.deliveries_claim_due(now=NOW + dt.timedelta(seconds=10), limit=100)
        assert _send(push).status == DeliveryStatus.SENT

    (got,) = push_service.received
    assert set(got.payload) == {"title", "body", "url", "tag"}
    assert got.payload["title"] == "Emergency alert"
    assert got.payload["url"] == f"{APP}/app/clinician/alerts/{alert.pk}"
    text = got.text.lower()
    for secret in ("alice", "adams", "bladder", "bowel", alert.title.lower(), alert.rule, "pain", "3/10", "new york"):
        assert secret not in text, secret
    assert got.headers["ttl"] == str(60 * 60)
    assert got.headers["urgency"] == "high"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "subject", "ttl", "urgency"),
    [
        (Kind.CHECKIN_REMINDER, None, 12 * 3600, "normal"),
        (Kind.CHECKIN_NUDGE, None, 12 * 3600, "normal"),
        (Kind.MILESTONE_OPENED, "milestone", 3 * 24 * 3600, "low"),
        (Kind.MILESTONE_CLOSING, "milestone", 24 * 3600, "normal"),
        (Kind.ALERT, "bladder_bowel_control", 3600, "high"),
        (Kind.ALERT, "fever_chills", 4 * 3600, "high"),
        (Kind.ALERT_ESCALATION, "saddle_numbness", 3600, "high"),
        (Kind.ALERT_DIGEST, None, 12 * 3600, "low"),
    ],
)
def test_ttl_and_urgency_follow_the_kind(cast, push_service, browser, kind, subject, ttl, urgency):
    subject_id, occurrence = "", "2027-05-15"
    if subject == "milestone":
        procedure_done(cast.alice_profile, cast.carol, dt.date(2027, 5, 10))
        subject_id = str(PatientMilestone.objects.get(patient=cast.alice_profile, key="weeks_2_3").pk)
    elif subject:
        tier = "urgent" if subject == "fever_chills" else "emergency"
        subject_id = str(AlertFactory(patient=cast.alice_profile, rule=subject, tier=tier, title="Fever or chills").pk)
    recipient = (
        cast.alice
        if kind in (Kind.CHECKIN_REMINDER, Kind.CHECKIN_NUDGE, "milestone_opened", "milestone_closing")
        else cast.carol
    )
    _subscribe(recipient, browser, push_service.endpoint("device"))
    with time_machine.travel(NOW, tick=False):
        delivery = _send(_push_delivery(recipient, kind, occurrence=subject_id or occurrence, subject_id=subject_id))
    assert delivery.status == DeliveryStatus.SENT
    (got,) = push_service.received
    assert (got.headers["ttl"], got.headers["urgency"]) == (str(ttl), urgency)
    assert got.payload["title"] and got.payload["url"].startswith(f"{APP}/app/")
    assert "alice" not in got.text.lower() and "fever" not in got.text.lower()
    assert "progress check" not in got.text.lower()  # not even which check-up


# --- What the push service answers ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_no_longer_knows_is_deleted_and_the_delivery_skipped(
    cast, push_service, browser, status
):
    _subscribe(cast.alice, browser, push_service.endpoint("gone"))
    push_service.status["/push/gone"] = status
    with time_machine.travel(NOW, tick=False):
        sent = _send(_push_delivery(cast.alice))
    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()
    assert sent.status == DeliveryStatus.SKIPPED
    assert "no push subscription" in sent.last_error.lower()


@pytest.mark.django_db
def test_one_device_gone_and_one_alive_is_a_success_and_only_the_dead_one_is_deleted(cast, push_service, browser):
    _subscribe(cast.alice, browser, push_service.endpoint("old-laptop"))
    alive = _subscribe(cast.alice, browser, push_service.endpoint("phone"))
    push_service.status["/push/old-laptop"] = 410
    with time_machine.travel(NOW, tick=False):
        assert _send(_push_delivery(cast.alice)).status == DeliveryStatus.SENT
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [alive.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_push_service_means_retry_later_with_backoff_then_give_up(cast, push_service, browser, status):
    _subscribe(cast.alice, browser, push_service.endpoint("busy"))
    push_service.status["/push/busy"] = status
    delivery = _push_delivery(cast.alice)
    now = NOW
    with time_machine.travel(now, tick=False) as traveller:
        for attempt in range(1, 6):
            delivery = _send(delivery)
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, attempt)
            assert delivery.last_error == f"push service answered {status}"
            ceiling = 60 * 2 ** (attempt - 1)
            wait = (delivery.due_at - now).total_seconds()
            assert ceiling / 2 <= wait <= ceiling, (attempt, wait)
            # Not before its time...
            assert services.deliveries_claim_due(now=delivery.due_at - dt.timedelta(seconds=1), limit=10) == []
            now = delivery.due_at
            traveller.move_to(now)
            assert services.deliveries_claim_due(now=now, limit=10) == [delivery.pk]
        delivery = _send(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 6)
    assert delivery.last_error.startswith("gave up after 6 attempts")
    assert len(push_service.received) == 6
    assert PushSubscription.objects.count() == 1


@pytest.mark.django_db
def test_retries_are_spread_out_with_jitter(cast, push_service, browser):
    _subscribe(cast.alice, browser, push_service.endpoint("busy"))
    push_service.status["/push/busy"] = 503
    waits = set()
    with time_machine.travel(NOW, tick=False):
        for day in range(8):
            delivery = _send(_push_delivery(cast.alice, occurrence=f"2027-05-{10 + day}"))
            waits.add(delivery.due_at - NOW)
    assert len(waits) > 1


@pytest.mark.django_db
def test_a_push_service_that_cannot_be_reached_is_a_retry_and_never_crashes_the_task(cast, push_service, browser):
    _subscribe(cast.alice, browser, f"https://127.0.0.1:{_CLOSED_PORT}/push/nobody-home")
    delivery = _push_delivery(cast.alice)
    with time_machine.travel(NOW, tick=False):
        tasks.deliveries_send([delivery.pk])  # does not raise
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error.startswith("network error: ")
    assert delivery.due_at > NOW
    assert PushSubscription.objects.count() == 1


@pytest.mark.django_db
def test_a_stored_subscription_off_the_allow_list_is_never_contacted_and_is_removed(
    cast, push_service, browser, settings
):
    _subscribe(cast.alice, browser, push_service.endpoint("alice"))
    settings.WEBPUSH_ALLOWED_HOSTS = ["fcm.googleapis.com"]  # the local service is no longer allowed
    with time_machine.travel(NOW, tick=False):
        sent = _send(_push_delivery(cast.alice))
    assert push_service.received == []
    assert not PushSubscription.objects.exists()
    assert sent.status == DeliveryStatus.SKIPPED


@pytest.mark.django_db
def test_a_person_without_a_device_is_skipped_not_failed(cast, push_service):
    with time_machine.travel(NOW, tick=False):
        sent = _send(_push_delivery(cast.alice))
    assert (sent.status, sent.last_error) == (DeliveryStatus.SKIPPED, "No push subscription.")
