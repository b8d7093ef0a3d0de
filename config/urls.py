from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.errors import error_body
from accounts.health import health_live, health_ready
from exercises.api import CalendarFeedIcsView
from interop.urls import api_urlpatterns as interop_api_urlpatterns
from notifications.api import unsubscribe

urlpatterns = [
    path("health/", health_ready, name="health"),
    path("health/live", health_live, name="health-live"),
    path("health/ready", health_ready, name="health-ready"),
    path("admin/", admin.site.urls),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("accounts.urls")),
    path("api/v1/", include("recovery.urls")),
    path("api/v1/", include("exercises.urls")),
    path("api/v1/", include("journey.urls")),
    path("api/v1/", include("dashboards.urls")),
    path("api/v1/", include("notifications.urls")),
    path("api/v1/", include(interop_api_urlpatterns)),
    path("fhir/r4/", include("interop.urls")),
    path("notifications/unsubscribe/<str:token>", unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", CalendarFeedIcsView.as_view(), name="calendar-feed"),
    path("", include("web.urls")),
]


def _json_bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    # What Django refuses before any view runs (an unknown Host header, an oversized form body).
    return JsonResponse(error_body(400, "bad_request", "The request was not valid."), status=400)


def _json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body(404, "not_found", "Not found."), status=404)


def _json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body(500, "server_error", "Something went wrong on our side."), status=500)


handler400 = _json_bad_request
handler404 = _json_not_found
handler500 = _json_server_error
