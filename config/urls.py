from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("grading/", include("claims.grading_urls")),
    path("intake/", include("claims.intake.urls")),
    path("api/", include("claims.api_urls")),
    path("", include("claims.urls")),
]
