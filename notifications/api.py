"""Notifications API: the inbox, preferences, push subscriptions, delivery history, one-click unsubscribe."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import patient_accessed
from accounts.authentication import signed_in
from accounts.models import Role, User
from notifications import services
from notifications.models import (
    PATIENT_TOPICS,
    STAFF_TOPICS,
    Delivery,
    Notification,
    NotificationPreference,
    PushSubscription,
    Topic,
)
from notifications.serializers import (
    DeliveryFilterIn,
    DeliveryOut,
    NotificationOut,
    PreferenceIn,
    PreferenceOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    UnreadCountOut,
    VapidKeyOut,
)
from notifications.transports import unsubscribe_token_read


class InboxApi(GenericAPIView[Notification]):
    """The signed-in person's inbox: unread first, newest first."""

    queryset = Notification.objects.none()
    serializer_class = NotificationOut

    @extend_schema(responses=NotificationOut(many=True))
    def get(self, request: Request) -> Response:
        inbox = Notification.objects.filter(recipient=signed_in(request)).order_by(
            F("read_at").desc(nulls_first=True), "-created_at", "id"
        )
        page = self.paginate_queryset(inbox)
        assert page is not None  # noqa: S101 (pagination is always on)
        return self.get_paginated_response(NotificationOut(page, many=True).data)


class InboxUnreadCountApi(GenericAPIView[Notification]):
    queryset = Notification.objects.none()

    @extend_schema(responses=UnreadCountOut)
    def get(self, request: Request) -> Response:
        unread = Notification.objects.filter(recipient=signed_in(request), read_at__isnull=True).count()
        return Response({"unread": unread})


class InboxReadApi(GenericAPIView[Notification]):
    queryset = Notification.objects.none()

    @extend_schema(request=None, responses=NotificationOut)
    def post(self, request: Request, notification_id: uuid.UUID) -> Response:
        user = signed_in(request)
        services.inbox_mark_read(user=user, notification_id=notification_id)
        try:
            return Response(NotificationOut(Notification.objects.get(pk=notification_id, recipient=user)).data)
        except Notification.DoesNotExist as exc:
            raise Http404("No notification with this id.") from exc


class InboxReadAllApi(GenericAPIView[Notification]):
    queryset = Notification.objects.none()

    @extend_schema(request=None, responses=UnreadCountOut)
    def post(self, request: Request) -> Response:
        services.inbox_mark_all_read(user=signed_in(request))
        return Response({"unread": 0})


def _topics_for(user: User) -> tuple[str, ...]:
    return tuple(PATIENT_TOPICS) if user.role == Role.PATIENT else tuple(STAFF_TOPICS)


def _preference_response(user: User) -> Response:
    user = User.objects.select_related("patient_profile", "clinic", "notification_preference").get(pk=user.pk)
    context = {"topics": _topics_for(user), "zone": services.zone_of(user)}
    return Response(PreferenceOut(services.preference_of(user), context=context).data)


class PreferenceApi(GenericAPIView[NotificationPreference]):
    """When and how reminders and alerts reach the signed-in person. Patients: check-in reminder time, channels per
    topic, quiet hours (no push or email inside them; the inbox still gets everything), pause all. Clinicians: channels
    per alert tier and the time of the daily watch-list digest."""

    queryset = NotificationPreference.objects.none()

    @extend_schema(responses=PreferenceOut)
    def get(self, request: Request) -> Response:
        return _preference_response(signed_in(request))

    @extend_schema(request=PreferenceIn, responses=PreferenceOut)
    def patch(self, request: Request) -> Response:
        user = signed_in(request)
        data = PreferenceIn(data=request.data, context={"instance": services.preference_of(user)})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        channels = fields.get("channels") or {}
        allowed = set(_topics_for(user))
        if set(channels) - allowed:
            raise ValidationError({"channels": [f"Choose among: {', '.join(sorted(allowed))}."]})
        services.preference_update(user=user, **fields)
        return _preference_response(user)


class PushSubscriptionListApi(GenericAPIView[PushSubscription]):
    """This person's devices registered for Web Push. The PWA posts the browser's PushSubscription JSON here."""

    queryset = PushSubscription.objects.none()
    pagination_class = None  # a handful of devices

    @extend_schema(responses=PushSubscriptionOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(PushSubscriptionOut(PushSubscription.objects.filter(user=signed_in(request)), many=True).data)

    @extend_schema(request=PushSubscriptionIn, responses={201: PushSubscriptionOut})
    def post(self, request: Request) -> Response:
        data = PushSubscriptionIn(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = services.push_subscription_register(
            user=signed_in(request),
            endpoint=data.validated_data["endpoint"],
            p256dh=data.validated_data["keys"]["p256dh"],
            auth=data.validated_data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(PushSubscriptionOut(subscription).data, status=status.HTTP_201_CREATED)


class PushSubscriptionDetailApi(GenericAPIView[PushSubscription]):
    queryset = PushSubscription.objects.none()

    @extend_schema(responses={204: None})
    def delete(self, request: Request, subscription_id: uuid.UUID) -> Response:
        deleted, _ = PushSubscription.objects.filter(pk=subscription_id, user=signed_in(request)).delete()
        if not deleted:
            raise Http404("No push subscription with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class VapidPublicKeyApi(GenericAPIView[PushSubscription]):
    """The application server key the PWA passes to pushManager.subscribe()."""

    queryset = PushSubscription.objects.none()

    @extend_schema(responses=VapidKeyOut)
    def get(self, request: Request) -> Response:
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})


def _deliveries(view: GenericAPIView[Any], request: Request, deliveries: QuerySet[Delivery]) -> Response:
    filters = DeliveryFilterIn(data=request.query_params.dict())
    filters.is_valid(raise_exception=True)
    f = filters.validated_data
    if "kind" in f:
        deliveries = deliveries.filter(kind=f["kind"])
    if "status" in f:
        deliveries = deliveries.filter(status=f["status"])
    if "due_from" in f:
        deliveries = deliveries.filter(due_at__gte=f["due_from"])
    if "due_to" in f:
        deliveries = deliveries.filter(due_at__lte=f["due_to"])
    page = view.paginate_queryset(deliveries.order_by("-due_at", "-id"))
    assert page is not None  # noqa: S101
    return view.get_paginated_response(DeliveryOut(page, many=True).data)


DELIVERY_FILTERS = [
    OpenApiParameter("kind", str),
    OpenApiParameter("status", str),
    OpenApiParameter("due_from", str, description="ISO 8601 instant."),
    OpenApiParameter("due_to", str, description="ISO 8601 instant."),
]


class MyDeliveryListApi(GenericAPIView[Delivery]):
    """Did it go out? Every reminder and message to the signed-in person: intended time, status, attempts, error."""

    queryset = Delivery.objects.none()

    @extend_schema(parameters=DELIVERY_FILTERS, responses=DeliveryOut(many=True))
    def get(self, request: Request) -> Response:
        return _deliveries(self, request, services.deliveries_for(signed_in(request)))


class PatientDeliveryListApi(GenericAPIView[Delivery]):
    """The same, for a patient on the clinician's care team (PHI-logged)."""

    queryset = Delivery.objects.none()

    @extend_schema(parameters=DELIVERY_FILTERS, responses=DeliveryOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = patient_accessed(request, patient_id, resource="notifications.deliveries")
        return _deliveries(self, request, services.deliveries_for(patient.user))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe for one topic (RFC 8058: mail clients POST here). GET shows a page with one button, so
    link scanners that follow links do not unsubscribe anyone."""
    found = unsubscribe_token_read(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if found is None or user is None or found[1] not in Topic.values:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    topic = Topic(found[1])
    if request.method == "POST":
        preference = services.preference_of(user)
        channels = [c for c in preference.channels_for(topic) if c != "email"]
        services.preference_update(user=user, channels={topic: channels})
        return render(request, "notifications/unsubscribe.html", {"done": True, "topic": topic.label})
    return render(request, "notifications/unsubscribe.html", {"topic": topic.label, "token": token})
