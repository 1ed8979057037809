"""The API's addresses under /api/v1/ (docs/api.md): the router of every endpoint, the
OpenAPI schema and its two documentation pages (Swagger UI and Redoc). Served from
`meetings`, the layer that may import both apps' endpoints (members/api.py, meetings/api/);
the root URLconf includes it by its dotted path."""

from django.urls import include, path, reverse
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from anso.links import absolute_url
from members.api import BodyViewSet, ClientThrottle, OrganizationViewSet, WorkingGroupViewSet

from .api import ActionViewSet, AttendanceViewSet, MeetingViewSet, PersonViewSet

app_name = "api"


class RootView(APIRootView):
    """Each endpoint's list, by its name: absolute links on SITE_URL."""

    throttle_classes = (ClientThrottle,)

    def get(self, request, *args, **kwargs):
        return Response(
            {
                prefix: absolute_url(reverse(f"api:{basename}-list"))
                for prefix, _viewset, basename in router.registry
            }
        )


router = DefaultRouter()
router.APIRootView = RootView
router.include_format_suffixes = False  # JSON only: no `.json` twins of every address
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("actions", ActionViewSet, basename="action")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("bodies", BodyViewSet, basename="body")
router.register("working-group", WorkingGroupViewSet, basename="working-group")
router.register("people", PersonViewSet, basename="person")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; `?format=json` for JSON)."""

    throttle_classes = (ClientThrottle,)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, from the vendored files; its setup script is this address with `?script`."""

    throttle_classes = (ClientThrottle,)
    template_name = "api/swagger_ui.html"
    title = "ANSO Working Group API"


class RedocView(SpectacularRedocView):
    """Redoc, from the vendored bundle, under the site's Content-Security-Policy by a static
    script of the site's (static/js/api-redoc.js): the styles Redoc adds carry the request's
    nonce, and no image is requested from another origin."""

    throttle_classes = (ClientThrottle,)
    template_name = "api/redoc.html"
    title = "ANSO Working Group API"


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
]
