from django.urls import path

from claims import grading_views

app_name = "grading"
urlpatterns = [
    path("", grading_views.queue, name="queue"),
    path("regrades/", grading_views.regrade, name="regrade_start"),
    path("regrades/<int:pk>/", grading_views.regrade_progress, name="regrade"),
    path("studies/<int:pk>/appraise/", grading_views.appraise_study, name="appraise"),
    path("claims/<slug:slug>/assess/", grading_views.assess_claim, name="assess"),
    path("claims/<slug:slug>/consensus/", grading_views.record_consensus, name="consensus"),
]
