from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.inputs import PagedQueryIn, StrictInputSerializer
from accounts.serializers import TimeZoneField
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Kind,
    Notification,
    NotificationPreference,
    PushSubscription,
    Topic,
)
from notifications.transports import push_endpoint_problem

EXTERNAL_CHANNELS = [Channel.PUSH.value, Channel.EMAIL.value]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "18:00"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the person's own zone, as "HH:MM" (no offset: it means that time wherever they are)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=TIME_INPUT_FORMATS, **kwargs)


_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


class NotificationAboutOut(serializers.Serializer[Any]):
    """The patient a caregiver's inbox item is about."""

    id = serializers.UUIDField(source="pk")
    name = serializers.CharField(source="user.full_name")


class NotificationOut(serializers.ModelSerializer[Notification]):
    read = serializers.SerializerMethodField()
    about = NotificationAboutOut(allow_null=True, read_only=True, help_text="A caregiver's item: whom it is about.")

    class Meta:
        model = Notification
        fields = ("id", "kind", "about", "title", "body", "url", "created_at", "read_at", "read")

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class UnreadCountOut(serializers.Serializer[Any]):
    unread = serializers.IntegerField()


class ChannelsField(serializers.DictField):
    """topic -> channels (push and/or email; the in-app inbox always receives everything)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=serializers.ListField(child=serializers.ChoiceField(choices=EXTERNAL_CHANNELS), max_length=2),
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> dict[str, list[str]]:
        value: dict[str, list[str]] = super().to_internal_value(data)
        unknown = sorted(set(value) - set(Topic.values))
        if unknown:
            raise serializers.ValidationError(f"Unknown topics: {', '.join(unknown)}. Use: {', '.join(Topic.values)}.")
        return {topic: sorted(set(channels)) for topic, channels in value.items()}


class PreferenceOut(serializers.ModelSerializer[NotificationPreference]):
    checkin_reminder_time = LocalTimeField()
    quiet_hours_start = LocalTimeField(allow_null=True)
    quiet_hours_end = LocalTimeField(allow_null=True)
    digest_time = LocalTimeField()
    channels = serializers.SerializerMethodField()
    time_zone = serializers.SerializerMethodField()

    class Meta:
        model = NotificationPreference
        fields = (
            "checkin_reminder_time", "quiet_hours_start", "quiet_hours_end", "paused", "channels", "digest_time",
            "time_zone",
        )  # fmt: skip

    def get_channels(self, obj: NotificationPreference) -> dict[str, list[str]]:
        return {topic: obj.channels_for(topic) for topic in self.context["topics"]}

    def get_time_zone(self, obj: NotificationPreference) -> str:
        return str(self.context["zone"])


class PreferenceIn(StrictInputSerializer):
    checkin_reminder_time = LocalTimeField(required=False)
    quiet_hours_start = LocalTimeField(required=False, allow_null=True)
    quiet_hours_end = LocalTimeField(required=False, allow_null=True)
    paused = serializers.BooleanField(required=False)
    channels = ChannelsField(required=False)
    digest_time = LocalTimeField(required=False)
    time_zone = TimeZoneField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: NotificationPreference | None = self.context.get("instance")
        start = attrs.get("quiet_hours_start", instance.quiet_hours_start if instance else None)
        end = attrs.get("quiet_hours_end", instance.quiet_hours_end if instance else None)
        if (start is None) != (end is None):
            raise serializers.ValidationError({"quiet_hours_end": ["Give both a start and an end, or neither."]})
        if start is not None and start == end:
            raise serializers.ValidationError({"quiet_hours_end": ["Quiet hours need different start and end times."]})
        return attrs


def _b64url_bytes(value: str) -> bytes:
    # urlsafe_b64decode silently drops characters outside its alphabet and accepts "+/": check the text first.
    if not _B64URL.fullmatch(value):
        raise serializers.ValidationError("Not valid base64url.")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise serializers.ValidationError("Not valid base64url.") from exc


class PushKeysIn(StrictInputSerializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)

    def validate_p256dh(self, value: str) -> str:
        raw = _b64url_bytes(value)
        if len(raw) != 65 or raw[0] != 4:
            raise serializers.ValidationError("Must be an uncompressed P-256 public key (65 bytes, base64url).")
        try:
            # A point off the curve would make every later push to this person fail at encryption time.
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError as exc:
            raise serializers.ValidationError("Not a point on the P-256 curve.") from exc
        return value

    def validate_auth(self, value: str) -> str:
        if len(_b64url_bytes(value)) != 16:
            raise serializers.ValidationError("Must be a 16-byte secret (base64url).")
        return value


class PushSubscriptionIn(StrictInputSerializer):
    endpoint = serializers.URLField(max_length=1000)
    keys = PushKeysIn()
    expirationTime = serializers.IntegerField(required=False, allow_null=True)

    def validate_endpoint(self, value: str) -> str:
        problem = push_endpoint_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class PushSubscriptionOut(serializers.ModelSerializer[PushSubscription]):
    class Meta:
        model = PushSubscription
        fields = ("id", "endpoint", "user_agent", "created_at", "last_success_at")


class VapidKeyOut(serializers.Serializer[Any]):
    public_key = serializers.CharField(allow_blank=True)


class DeliveryOut(serializers.ModelSerializer[Delivery]):
    class Meta:
        model = Delivery
        fields = (
            "id", "kind", "occurrence", "channel", "due_at", "status", "attempts", "last_error", "queued_at",
            "sent_at",
        )  # fmt: skip


class DeliveryFilterIn(PagedQueryIn):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
    due_from = serializers.DateTimeField(required=False, help_text="ISO 8601 instant.")
    due_to = serializers.DateTimeField(required=False, help_text="ISO 8601 instant.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: dt.datetime | None = attrs.get("due_from")
        end: dt.datetime | None = attrs.get("due_to")
        if start and end and start > end:
            raise serializers.ValidationError({"due_from": ["Must be before due_to."]})
        return attrs
