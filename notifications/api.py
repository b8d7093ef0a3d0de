"""Notifications API: the inbox, preferences, push subscriptions, delivery history, one-click unsubscribe."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import access_patient, patient_read_log
from accounts.authentication import signed_in
from accounts.languages import in_language_of
from accounts.models import User
from notifications import inbox, selectors, services
from notifications.messages import TOPIC_NAMES
from notifications.models import (
    CAREGIVER_TOPICS,
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


def _inbox_read_logged(request: Request, items: list[Notification]) -> None:
    patient_read_log(request, selectors.inbox_patients(items), resource="inbox")


class InboxApi(GenericAPIView[Notification]):
    """The signed-in person's inbox: unread first, newest first."""

    serializer_class = NotificationOut

    @extend_schema(responses=NotificationOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.inbox_of(signed_in(request)))
        assert page is not None  # noqa: S101 (pagination is always on)
        # An alert in a clinician's inbox names the patient and what they reported: a read of PHI, logged like the
        # alert itself (one row per patient shown on the page).
        _inbox_read_logged(request, page)
        return self.get_paginated_response(NotificationOut(page, many=True).data)


class InboxUnreadCountApi(GenericAPIView[Notification]):
    @extend_schema(responses=UnreadCountOut)
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.inbox_unread_count(signed_in(request))})


class InboxReadApi(GenericAPIView[Notification]):
    @extend_schema(request=None, responses=NotificationOut)
    def post(self, request: Request, notification_id: uuid.UUID) -> Response:
        user = signed_in(request)
        inbox.inbox_mark_read(user=user, notification_id=notification_id)
        item = selectors.notification_of(user, notification_id)
        _inbox_read_logged(request, [item])
        return Response(NotificationOut(item).data)


class InboxReadAllApi(GenericAPIView[Notification]):
    @extend_schema(request=None, responses=UnreadCountOut)
    def post(self, request: Request) -> Response:
        inbox.inbox_mark_all_read(user=signed_in(request))
        return Response({"unread": 0})


def _topics_for(user: User) -> tuple[str, ...]:
    if user.is_caregiver:
        return tuple(CAREGIVER_TOPICS)
    return tuple(STAFF_TOPICS) if user.is_clinic_staff else tuple(PATIENT_TOPICS)


def _preference_response(user: User) -> Response:
    user = selectors.user_with_preferences(user)
    context = {"topics": _topics_for(user), "zone": services.zone_of(user)}
    return Response(PreferenceOut(services.preference_of(user), context=context).data)


class PreferenceApi(GenericAPIView[NotificationPreference]):
    """When and how reminders and alerts reach the signed-in person. Patients: check-in reminder time, channels per
    topic, quiet hours (no push or email inside them; the inbox still gets everything), pause all. Clinicians: channels
    per alert tier and the time of the daily watch-list digest. Caregivers: as patients, and channels for what to do
    when a patient they help reports an emergency or urgent warning sign."""

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

    pagination_class = None  # a handful of devices

    @extend_schema(responses=PushSubscriptionOut(many=True))
    def get(self, request: Request) -> Response:
        subscriptions = selectors.push_subscriptions_of(signed_in(request))
        return Response(PushSubscriptionOut(subscriptions, many=True).data)

    @extend_schema(request=PushSubscriptionIn, responses={201: PushSubscriptionOut})
    def post(self, request: Request) -> Response:
        data = PushSubscriptionIn(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = inbox.push_subscription_register(
            user=signed_in(request),
            endpoint=data.validated_data["endpoint"],
            p256dh=data.validated_data["keys"]["p256dh"],
            auth=data.validated_data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(PushSubscriptionOut(subscription).data, status=status.HTTP_201_CREATED)


class PushSubscriptionDetailApi(GenericAPIView[PushSubscription]):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, subscription_id: uuid.UUID) -> Response:
        if not inbox.push_subscription_delete(user=signed_in(request), subscription_id=subscription_id):
            raise Http404("No push subscription with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class VapidPublicKeyApi(GenericAPIView[PushSubscription]):
    """The application server key the PWA passes to pushManager.subscribe()."""

    @extend_schema(responses=VapidKeyOut)
    def get(self, request: Request) -> Response:
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})


def _deliveries(view: GenericAPIView[Any], request: Request, deliveries: QuerySet[Delivery]) -> Response:
    filters = DeliveryFilterIn(data=request.query_params)  # a QueryDict: its values are strings, not JSON types
    filters.is_valid(raise_exception=True)
    f = filters.validated_data
    page = view.paginate_queryset(
        selectors.deliveries_filtered(
            deliveries, kind=f.get("kind"), status=f.get("status"), due_from=f.get("due_from"), due_to=f.get("due_to")
        )
    )
    assert page is not None  # noqa: S101
    return view.get_paginated_response(DeliveryOut(page, many=True).data)


DELIVERY_FILTERS = [DeliveryFilterIn]


class MyDeliveryListApi(GenericAPIView[Delivery]):
    """Did it go out? Every reminder and message to the signed-in person: intended time, status, attempts, error."""

    @extend_schema(parameters=DELIVERY_FILTERS, responses=DeliveryOut(many=True))
    def get(self, request: Request) -> Response:
        return _deliveries(self, request, selectors.deliveries_for(signed_in(request)))


class PatientDeliveryListApi(GenericAPIView[Delivery]):
    """The same, for a patient on the clinician's care team (PHI-logged)."""

    @extend_schema(parameters=DELIVERY_FILTERS, responses=DeliveryOut(many=True))
    def get(self, request: Request, patient_id: uuid.UUID) -> Response:
        patient = access_patient(request, patient_id, resource="notifications.deliveries")
        return _deliveries(self, request, selectors.deliveries_for(patient.user))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe for one topic (RFC 8058: mail clients POST here). GET shows a page with one button, so
    link scanners that follow links do not unsubscribe anyone."""
    found = unsubscribe_token_read(token)
    user = selectors.user_by_id(found[0]) if found else None
    if found is None or user is None or found[1] not in Topic.values:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    topic = Topic(found[1])
    # The page speaks the language of the person the email was for (it names one of their topics).
    with in_language_of(user):
        if request.method == "POST":
            preference = services.preference_of(user)
            channels = [c for c in preference.channels_for(topic) if c != "email"]
            services.preference_update(user=user, channels={topic: channels})
            return render(request, "notifications/unsubscribe.html", {"done": True, "topic": TOPIC_NAMES[topic]})
        return render(request, "notifications/unsubscribe.html", {"topic": TOPIC_NAMES[topic], "token": token})
