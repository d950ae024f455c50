from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("", views.article_list, name="articles"),
    path("about/", views.about, name="about"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/statements/<int:pk>/", views.statement_detail, name="statement"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/suggestions/", views.claim_suggestions, name="claim_suggestions"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("claims/<slug:slug>/findings/", views.claim_findings, name="claim_findings"),
    path("studies/", views.study_list, name="studies"),
    path("studies/export.<slug:fmt>", views.study_export, name="studies_export"),
    path("studies/<int:pk>/", views.study_detail, name="study"),
]
