"""Error reports: with SENTRY_DSN, an error inside a request full of patient data reaches Sentry (here a local HTTP
server standing in for it) as type, stack and route only."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured

from config.sentry import MESSAGE_REMOVED, sentry_init
from tests.operations.support import free_port
from tests.recovery.support import NEW_YORK, put_checkin
from tests.support import checkin_body, local, procedure_done

NOTE = "Fell on the stairs at my daughter Imogen's house"
DAY0 = dt.date(2027, 5, 10)


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sentry_server() -> Iterator[tuple[str, list[bytes]]]:
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _Sentry)
    _Sentry.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sentry_init(f"http://public@127.0.0.1:{port}/1", environment="test")
    try:
        yield f"http://127.0.0.1:{port}", _Sentry.received
    finally:
        sentry_sdk.get_client().close(timeout=2)
        sentry_sdk.get_global_scope().set_client(None)
        server.shutdown()
        server.server_close()


def _events(received: list[bytes]) -> list[dict]:
    """The event items of the received envelopes (an envelope: a header line, then item header and payload lines)."""
    events = []
    for envelope in received:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


@pytest.mark.urls("tests.operations.urls")
def test_an_error_in_a_request_with_patient_data_reaches_sentry_without_it(
    cast, client_for, time_machine, sentry_server
):
    time_machine.move_to(local(NEW_YORK, 2027, 5, 13, 19), tick=False)
    procedure_done(cast.alice_profile, cast.carol, DAY0)
    stored = put_checkin(client_for(cast.alice), checkin_body(DAY0 + dt.timedelta(days=3), note=NOTE), uuid.uuid4())
    assert stored.status_code == 201
    carol = client_for(cast.carol)
    carol.raise_request_exception = False
    session_cookie = carol.cookies["sessionid"].value

    response = carol.post(
        "/test-only/fail?search=Alice%20Adams&email=alice@patients.example",
        {"note": NOTE, "full_name": "Alice Adams"},
        format="json",
        HTTP_X_SESSION_TOKEN="session-token-secret-42",
        HTTP_AUTHORIZATION="Bearer bearer-secret-42",
    )
    sentry_sdk.flush(timeout=5)

    assert response.status_code == 500
    _url, received = sentry_server
    [event] = _events(received)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ClinicalDataError"
    assert exception["value"] == MESSAGE_REMOVED
    assert any(f["function"] == "fail_with_patient_data" for f in exception["stacktrace"]["frames"])
    # The route names the failing view; of the request, at most its method and its redacted address are kept.
    assert event["transaction"] == "/test-only/fail"
    assert set(event.get("request") or {}) <= {"method", "url"}
    assert "user" not in event
    everything = b"\n".join(received).decode()
    for secret in (
        NOTE,
        "Imogen",
        "Alice",
        "Adams",
        "alice@patients.example",
        "Carol Chen",
        "carol@riverside",
        session_cookie,
        "session-token-secret-42",
        "bearer-secret-42",
        "search",
    ):
        assert secret.lower() not in everything.lower(), f"{secret!r} was reported"


def test_a_failing_task_is_reported_with_its_name_and_without_its_arguments_values(db, sentry_server):
    from notifications.tasks import deliveries_send

    result = deliveries_send.apply(args=[["not-an-id Alice Adams"]], task_id="task-sentry-1")
    sentry_sdk.flush(timeout=5)

    assert result.failed()
    _url, received = sentry_server
    [event] = _events(received)
    assert event["extra"] == {"celery-job": {"task_name": "notifications.tasks.deliveries_send"}}
    assert "Alice" not in b"\n".join(received).decode()


@pytest.mark.parametrize("dsn", ["not a url", "ftp://key@sentry.example/1", "https://sentry.example/1"])
def test_a_dsn_that_is_not_a_sentry_url_is_refused_in_one_line(dsn):
    with pytest.raises(ImproperlyConfigured, match=r"^SENTRY_DSN must look like https://<key>@<host>/<project id>\.$"):
        sentry_init(dsn)
