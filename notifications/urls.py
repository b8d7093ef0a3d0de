from django.urls import path

from notifications import api

urlpatterns = [
    path("me/inbox", api.InboxApi.as_view(), name="inbox"),
    path("me/inbox/unread-count", api.InboxUnreadCountApi.as_view(), name="inbox-unread-count"),
    path("me/inbox/read-all", api.InboxReadAllApi.as_view(), name="inbox-read-all"),
    path("me/inbox/<uuid:notification_id>/read", api.InboxReadApi.as_view(), name="inbox-read"),
    path("me/notification-preferences", api.PreferenceApi.as_view(), name="notification-preferences"),
    path("me/push-subscriptions", api.PushSubscriptionListApi.as_view(), name="push-subscription-list"),
    path(
        "me/push-subscriptions/<uuid:subscription_id>",
        api.PushSubscriptionDetailApi.as_view(),
        name="push-subscription-detail",
    ),
    path("me/deliveries", api.MyDeliveryListApi.as_view(), name="me-delivery-list"),
    path("patients/<uuid:patient_id>/deliveries", api.PatientDeliveryListApi.as_view(), name="patient-delivery-list"),
    path("push/vapid-public-key", api.VapidPublicKeyApi.as_view(), name="vapid-public-key"),
]
