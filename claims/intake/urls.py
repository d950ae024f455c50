from django.urls import path

from claims.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.start, name="start"),
    path("<slug:slug>/", views.workbench_page, name="workbench"),
    path("<slug:slug>/unit/", views.unit, name="unit"),
    path("<slug:slug>/accept/", views.accept, name="accept"),
    path("<slug:slug>/reject/", views.reject, name="reject"),
    path("<slug:slug>/not-a-statement/", views.not_a_statement, name="not_a_statement"),
    path("<slug:slug>/unlink/", views.unlink, name="unlink"),
    path("<slug:slug>/merge/", views.merge_next, name="merge"),
    path("<slug:slug>/split/", views.split, name="split"),
    path("<slug:slug>/new-claim/", views.new_claim, name="new_claim"),
    path("<slug:slug>/text/", views.rebody, name="rebody"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
]
