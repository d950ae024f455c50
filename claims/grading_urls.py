from django.urls import path

from claims import grading_views

app_name = "grading"
urlpatterns = [
    path("", grading_views.queue, name="queue"),
    path("studies/<int:pk>/appraise/", grading_views.appraise_study, name="appraise"),
    path("claims/<slug:slug>/assess/", grading_views.assess_claim, name="assess"),
    path("claims/<slug:slug>/consensus/", grading_views.record_consensus, name="consensus"),
]
