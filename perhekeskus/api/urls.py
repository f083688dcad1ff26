"""The API's URLs: ``urlpatterns``, the v1 router (at /api/v1/), and ``docs_urlpatterns`` (/api/schema/, /api/docs/)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers
from rest_framework.renderers import JSONRenderer

from . import docs, views
from .throttling import PublicApiThrottle


class ApiRootView(views.CsrfCheckedMixin, routers.APIRootView):
    """The list of endpoints (``GET /api/v1/``)."""

    authentication_classes = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = views.JsonOnly
    throttle_classes = [PublicApiThrottle]
    schema = None


class Router(routers.DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False


router = Router(trailing_slash="/")
router.register("services", views.ServiceViewSet, basename="service")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("meeting-places", views.MeetingPlaceViewSet, basename="meetingplace")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("areas", views.WellbeingAreaViewSet, basename="area")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("service-classes", views.ServiceClassViewSet, basename="serviceclass")
router.register("life-situations", views.LifeSituationViewSet, basename="lifesituation")

app_name = "api"
urlpatterns = router.urls


class SchemaView(views.CsrfCheckedMixin, SpectacularAPIView):
    authentication_classes = []
    throttle_classes = [PublicApiThrottle]
    # Only /api/v1/ (the Open Referral API at /api/hsds/ publishes its own description).
    custom_settings = {"PREPROCESSING_HOOKS": ["perhekeskus.api.schema.only_v1"]}


docs_urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", docs.DocsView.as_view(), name="api-docs"),
    path("docs/swagger-ui.css", docs.stylesheet, name="api-docs-css"),
    path("docs/images/<int:index>", docs.image, name="api-docs-image"),
]
