"""Transports for the channels that leave our system: Web Push and email. Each has one `send()` and says clearly
whether a failure is permanent (do not retry) or temporary (retry with backoff)."""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from pywebpush import WebPushException, webpush
from requests.adapters import HTTPAdapter

from accounts.languages import in_language_of
from accounts.models import User
from notifications.messages import Message
from notifications.models import Delivery, PushSubscription

logger = logging.getLogger(__name__)


class TransportError(Exception):
    """Base of the two outcomes a caller has to tell apart."""


class PermanentError(TransportError):
    """Retrying will not help (no subscription left, address refused...)."""


class TemporaryError(TransportError):
    """Worth another try later (rate limited, service or network down)."""


class NothingToSend(PermanentError):
    """The person has no way to receive this channel (e.g. no push subscription): skipped, not failed."""


# --- Web Push ---------------------------------------------------------------------------------------------------------


def push_endpoint_problem(endpoint: str) -> str | None:
    """Why we refuse to send requests to this endpoint, or None when it is acceptable.

    We POST to whatever URL a browser registered, so only HTTPS on port 443 to known push services is allowed
    (WEBPUSH_ALLOWED_HOSTS; an entry may name "host:port" to allow another port, as tests do for a local server).
    """
    try:
        parts = urlsplit(endpoint)
        port = parts.port or 443
    except ValueError:
        return "Not a valid URL."
    host = (parts.hostname or "").lower()
    if parts.scheme != "https":
        return "Push endpoints must use https."
    if not host:
        return "Push endpoints need a host."
    allowed = [entry.lower() for entry in settings.WEBPUSH_ALLOWED_HOSTS]
    for entry in allowed:
        allowed_host, _, allowed_port = entry.partition(":")
        host_ok = host == allowed_host or (allowed_host.startswith("*.") and host.endswith(allowed_host[1:]))
        port_ok = port == int(allowed_port) if allowed_port else port == 443
        if host_ok and port_ok:
            return None
    try:
        if ipaddress.ip_address(host).is_private or ipaddress.ip_address(host).is_loopback:
            return "Push endpoints on private addresses are not allowed."
    except ValueError:
        pass
    if port != 443:
        return "Push endpoints must use port 443."
    return "This push service is not on our allow-list."


class _VerifyWithBundle(HTTPAdapter):
    """Verifies TLS against one CA bundle. Setting Session.verify is not enough: requests lets REQUESTS_CA_BUNDLE or
    CURL_CA_BUNDLE from the environment override it, which would silently ignore WEBPUSH_CA_BUNDLE."""

    def __init__(self, ca_bundle: str) -> None:
        super().__init__()
        self.ca_bundle = ca_bundle

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["verify"] = self.ca_bundle
        return super().send(request, *args, **kwargs)


@functools.cache
def _push_session() -> requests.Session:
    session = requests.Session()
    if settings.WEBPUSH_CA_BUNDLE:
        session.mount("https://", _VerifyWithBundle(settings.WEBPUSH_CA_BUNDLE))
    return session


def push_send(delivery: Delivery, message: Message) -> int:
    """Send to every device of the recipient; returns how many accepted it.

    404/410 from a push service means the subscription is gone: it is deleted. 429 and 5xx are temporary. The Topic
    header lets a push service replace an undelivered copy of the same message rather than show it twice.
    """
    if not settings.VAPID_PRIVATE_KEY:
        raise PermanentError("Web Push is not configured (VAPID keys missing).")
    subscriptions = list(PushSubscription.objects.filter(user_id=delivery.recipient_id))
    if not subscriptions:
        raise NothingToSend("No push subscription.")
    payload = json.dumps({"title": message.title, "body": message.body, "url": message.url, "tag": delivery.kind})
    accepted, temporary = 0, []
    for subscription in subscriptions:
        problem = push_endpoint_problem(subscription.endpoint)
        if problem:
            subscription.delete()
            continue
        try:
            webpush(
                subscription.info(),
                data=payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=message.ttl_seconds,
                headers={"Urgency": message.urgency, "Topic": f"d{delivery.pk}"[:32]},
                timeout=settings.WEBPUSH_TIMEOUT_SECONDS,
                requests_session=_push_session(),
            )
        except WebPushException as exc:
            code = exc.response.status_code if exc.response is not None else None
            if code in (404, 410):
                subscription.delete()
            elif code is not None and (code == 429 or code >= 500):
                temporary.append(f"push service answered {code}")
            else:
                logger.warning("Push to %s refused with %s", subscription.pk, code)
                temporary.append(f"push service refused with {code}")
        except (requests.RequestException, OSError) as exc:
            temporary.append(f"network error: {type(exc).__name__}")
        else:
            accepted += 1
            PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
    if accepted:
        return accepted
    if temporary:
        raise TemporaryError("; ".join(temporary)[:500])
    raise NothingToSend("No push subscription left (all expired).")


# --- Email ------------------------------------------------------------------------------------------------------------

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user_id: object, topic: str) -> str:
    return signing.dumps({"u": str(user_id), "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return str(data["u"]), str(data["t"])


def email_send(delivery: Delivery, message: Message, topic: str) -> None:
    """A text and an HTML body, the message's subject, and a one-click unsubscribe for this kind (RFC 8058). The
    message was built in the recipient's language; the frame around it (greeting, footer) is rendered in it too."""
    user = User.objects.get(pk=delivery.recipient_id)
    if not user.email or not user.is_active:
        raise NothingToSend("No active email address.")
    unsubscribe_url = f"{settings.APP_URL}/notifications/unsubscribe/{unsubscribe_token(user.pk, topic)}"
    context = {"name": user.get_short_name(), "message": message, "unsubscribe_url": unsubscribe_url}
    with in_language_of(user):
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    email = EmailMultiAlternatives(
        # A caregiver's copy has a subject of its own (no patient named).
        subject=message.subject or message.title,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same delivery always carries the same Message-ID, so a resend after a crash is recognisable.
            "Message-ID": f"<delivery-{delivery.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>",
        },
    )
    email.attach_alternative(html, "text/html")
    try:
        email.send()
    except (OSError, TimeoutError) as exc:
        raise TemporaryError(f"mail server: {type(exc).__name__}: {exc}"[:500]) from exc
