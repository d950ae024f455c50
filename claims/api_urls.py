"""/api/: the REST API, its OpenAPI schema and its documentation (served from the package's
static files, no outside network)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from claims import api, api_exports, api_regrades
from config.api import not_found
from evidence.api import StudyImportStateView, StudyImportView, StudyLookupView

app_name = "api"
router = DefaultRouter()
router.register("articles", api.ArticleViewSet, basename="article")
router.register("claims", api.ClaimViewSet, basename="claim")
router.register("studies", api.StudyViewSet, basename="study")
router.register("findings", api.FindingViewSet, basename="finding")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's setup script is a file of its own (?script): no inline script under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("claims/export.csv", api_exports.ClaimsCsv.as_view(), name="claims-export-csv"),
    path("claims/export.json", api_exports.ClaimsJson.as_view(), name="claims-export-json"),
    path(
        "claims/claimreview.jsonld",
        api_exports.ClaimReviewFeed.as_view(),
        name="claims-claimreview",
    ),
    path("regrades/", api_regrades.RegradeStartView.as_view(), name="regrades"),
    path("regrades/<int:pk>/", api_regrades.RegradeView.as_view(), name="regrade"),
    path("studies/import/", StudyImportView.as_view(), name="studies-import"),
    path("studies/lookup/", StudyLookupView.as_view(), name="studies-lookup"),
    path("studies/imports/<int:pk>/", StudyImportStateView.as_view(), name="studies-import-state"),
    path("studies/export.ris", api_exports.StudiesRis.as_view(), name="studies-export-ris"),
    path("studies/export.bib", api_exports.StudiesBibtex.as_view(), name="studies-export-bib"),
    path("studies/export.csv", api_exports.StudiesCsv.as_view(), name="studies-export-csv"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", not_found),
]
