"""The regrade of the library in the API: POST /api/regrades/ starts one, which the task worker
runs (claims.services.regrade_start); GET /api/regrades/<id>/ follows it. Graders and admins."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import RegradeRun, RegradeStatus
from claims.services import regrade_start
from config.api import StrictBooleanField, errors


class RegradeRequestSerializer(serializers.Serializer):
    every_claim = StrictBooleanField(
        default=False,
        help_text="Regrade every claim, not only those whose grading inputs (findings, studies, "
        "appraisals, kind) changed since they were last graded.",
    )


class RegradeSerializer(serializers.Serializer):
    """A regrade of the library: its progress while the task worker runs it, then its result."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(
        help_text="Where to follow it: GET it until `status` is done or failed."
    )
    started = serializers.SerializerMethodField(
        help_text="In the answer to a POST: false when a regrade was already in progress and "
        "this is that one (no other was started); true otherwise."
    )
    message = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=RegradeStatus.choices,
        help_text="queued (waiting for the task worker), running, done, failed (`error` says "
        "why; the claims regraded so far keep their new grade).",
    )
    stalled = serializers.BooleanField(
        source="is_stalled",
        help_text="Running, but nothing recorded for 10 minutes: its worker stopped. The next "
        "POST marks it failed and starts a new one.",
    )
    every_claim = serializers.BooleanField()
    started_by = serializers.CharField(source="started_by.get_username")
    created_at = serializers.DateTimeField()
    progressed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    total = serializers.IntegerField(help_text="Claims in the library.")
    looked_at = serializers.IntegerField(help_text="Claims looked at so far.")
    regraded = serializers.IntegerField(
        help_text="Claims whose provisional grade was stored again so far."
    )
    summary = serializers.CharField()
    error = serializers.CharField(allow_blank=True)

    def get_url(self, run) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:regrade", args=[run.pk]))

    def get_started(self, run) -> bool:
        return self.context.get("started", True)

    def get_message(self, run) -> str:
        if self.context.get("started", True):
            return run.summary
        return (
            f"A regrade started by {run.started_by.get_username()} is still in progress, so no "
            f"other was started: this is it."
        )


def _state(run, request, started=True):
    return RegradeSerializer(run, context={"request": request, "started": started}).data


class MayRegrade(BasePermission):
    """Graders and admins: a POST needs claims.add_regraderun, a GET claims.view_regraderun."""

    def has_permission(self, request, view):
        needed = "claims.add_regraderun" if request.method == "POST" else "claims.view_regraderun"
        return request.user.has_perm(needed)


class RegradeStartView(APIView):
    permission_classes = [IsAuthenticated, MayRegrade]

    @extend_schema(
        operation_id="regrades_start",
        tags=["regrades"],
        summary="Regrade the library",
        description="Store the rules' suggestion as the provisional grade of every claim whose "
        "grading inputs changed since it was last graded (of every claim with `every_claim`), "
        "as `manage.py grade_claims` does; graders' assessments are never changed. The task "
        "worker runs it: 202, with its address in `Location` and `url`, to follow. One at a "
        "time: while one is queued or running, a POST starts none and answers 200 with that "
        "one (`started` false, `message` says so). Graders and admins.",
        request=RegradeRequestSerializer,
        responses={202: RegradeSerializer, 200: RegradeSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        form = RegradeRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        run, started = regrade_start(
            by=request.user, every_claim=form.validated_data["every_claim"]
        )
        body = _state(run, request, started=started)
        code = status.HTTP_202_ACCEPTED if started else status.HTTP_200_OK
        return Response(body, status=code, headers={"Location": body["url"]})


class RegradeView(APIView):
    permission_classes = [IsAuthenticated, MayRegrade]

    @extend_schema(
        operation_id="regrades_retrieve",
        tags=["regrades"],
        summary="Follow a regrade of the library",
        description="Its status and how many claims it has looked at and regraded. Graders "
        "and admins.",
        responses={200: RegradeSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, pk):
        run = get_object_or_404(RegradeRun.objects.select_related("started_by"), pk=pk)
        return Response(_state(run, request))
