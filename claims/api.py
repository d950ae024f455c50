"""The REST API under /api/ (Django REST framework): articles, claims, studies, findings, and
the writes of researchers and graders. Each endpoint is thin: its rows come from a named
QuerySet method, its filters are the pages' (claims/filters.py), its writes go through the
services, which check the user's permissions again. Exports are in claims/api_exports.py."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from claims.filters import ClaimFilter, FindingFilter, StudyApiFilter
from claims.forms import ConsensusForm
from claims.models import (
    Article,
    Assessment,
    AssessmentStatus,
    Claim,
    Finding,
    attach_scorecards,
)
from claims.paging import KeysFirstPaginator
from claims.review import ReviewRound
from claims.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    ConsensusSerializer,
    FindingSerializer,
    FindingWriteSerializer,
    GradeSerializer,
    RejectSerializer,
    StudyWithPageSerializer,
)
from claims.services import (
    assessment_publish,
    finding_approve,
    finding_may_change,
    finding_reject,
    finding_save,
    finding_submit,
    study_save_and_regrade,
)
from config.api import (
    ETAG,
    IF_MATCH,
    ETagFromVersion,
    HasRolePermissions,
    KeysetPagination,
    Pagination,
    errors,
)
from config.versions import seen_from_if_match
from evidence.models import Study

READ_ERRORS = errors(400, 404)
WRITE_ERRORS = errors(400, 401, 403, 404)
# A change to a record: If-Match honoured (412 when it names an older version), ETag returned.
CHANGE_ERRORS = {**WRITE_ERRORS, **errors(412)}
CHANGE_HEADERS = [IF_MATCH, ETAG]


class RoleViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly, HasRolePermissions]
    write_permissions = {}


@extend_schema_view(
    list=extend_schema(
        summary="Published articles",
        description="Newest first, each with its scorecard: its statements per level of "
        "support, and how many are overstated. Each article's statements are at its `api_url`.",
        responses={200: ArticleSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A published article, with its body and its statements",
        description="Every statement marked by how well the evidence supports it (a statement "
        "is as supported as its weakest claim), with each claim it asserts.",
        responses={200: ArticleDetailSerializer, **errors(404)},
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    lookup_field = "slug"

    def get_queryset(self):
        if self.action == "retrieve":
            return Article.objects.for_detail()
        return Article.objects.for_list()

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def paginate_queryset(self, queryset):
        """The page's articles, each with its scorecard (two queries for the page)."""
        return attach_scorecards(super().paginate_queryset(queryset))


class ClaimPagination(Pagination):
    """The API's pages, each computing its claims' counts for its own rows only."""

    django_paginator_class = KeysFirstPaginator


@extend_schema_view(
    list=extend_schema(
        summary="Published claims with their grade",
        description="The grade is the graders' published consensus, else the grading rules' "
        "provisional one (`provisional: true`); each with the reason for every GRADE domain, "
        "how many approved findings of each direction bear on the claim and `findings_url`, "
        "where they are, a page at a time. Filters and sort orders are those of /claims/.",
        responses={200: ClaimSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A published claim with its grade, its strongest findings and its statements",
        description="As in the list, and for each direction with findings the strongest few "
        "(as the claim's page shows them) with the address of all of them, and the statements "
        "of published articles that assert the claim.",
        responses={200: ClaimDetailSerializer, **errors(404)},
        filters=False,
    ),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleViewSet):
    lookup_field = "slug"
    pagination_class = ClaimPagination
    filterset_class = ClaimFilter
    write_permissions = {"consensus": ["claims.publish_assessment"]}

    def get_queryset(self):
        if self.action == "retrieve":
            return Claim.objects.for_api().with_statements()
        return Claim.objects.for_api()

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer

    @extend_schema(
        summary="Publish the graders' consensus as the claim's grade",
        description="As the consensus page: it needs REQUIRED_ASSESSMENTS submitted independent "
        "assessments (and the publishing grader's own, if they have one in the round, "
        "submitted); a reason for every domain that is not 0 and, in the grader's own words, "
        "for every departure from the rules' suggestion and for every domain the assessors "
        "rated apart (not a copy of one assessor's). The certainty follows from the body "
        "and the domains. The grade published before is superseded. Graders and admins. "
        "409 when another grader published the round's consensus first.",
        request=ConsensusSerializer,
        responses={201: GradeSerializer, **WRITE_ERRORS, **errors(409)},
        filters=False,
    )
    @action(detail=True, methods=["post"])
    def consensus(self, request, slug):
        claim = get_object_or_404(Claim, slug=slug)
        ConsensusSerializer(data=request.data).is_valid(raise_exception=True)
        suggestion = Assessment.objects.filter(
            claim=claim, status=AssessmentStatus.PROVISIONAL
        ).first()
        form = ConsensusForm(
            data=request.data,
            suggestion=suggestion,
            disagreements=ReviewRound(claim).disagreements(),
        )
        if not form.is_valid():
            problems = {
                "non_field_errors" if name == "__all__" else name: messages
                for name, messages in form.errors.items()
            }
            return Response(problems, status=status.HTTP_400_BAD_REQUEST)
        published = assessment_publish(claim=claim, author=request.user, form=form)
        return Response(
            GradeSerializer(published, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="Studies",
        description="In the order they were added, a page at a time through `next`. The "
        "filters are those of /studies/ (the text search narrows without ranking); sort and "
        "rank on the page or in your own code.",
        responses={200: StudyWithPageSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A study",
        description="Its ETag header is its version: send it back as If-Match with a change.",
        responses={200: StudyWithPageSerializer, **errors(404)},
        parameters=[ETAG],
    ),
    create=extend_schema(
        summary="Add a study",
        description="Researchers, graders and admins. A DOI, PMID or PMCID another study has "
        "is refused.",
        responses={201: StudyWithPageSerializer, **errors(400, 401, 403)},
        parameters=[ETAG],
    ),
    update=extend_schema(
        summary="Change a study",
        description="Researchers, graders and admins. The claims it bears on are regraded; "
        "ticking `retracted` flags their published grades for review. With If-Match (the "
        "ETag of the study as read), refused with 412 if somebody changed it since; without "
        "it, the change is made whatever was written since.",
        responses={200: StudyWithPageSerializer, **CHANGE_ERRORS},
        parameters=CHANGE_HEADERS,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a study",
        description="As PUT, with only the fields given.",
        responses={200: StudyWithPageSerializer, **CHANGE_ERRORS},
        parameters=CHANGE_HEADERS,
    ),
)
class StudyViewSet(
    ETagFromVersion,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    RoleViewSet,
):
    serializer_class = StudyWithPageSerializer
    filterset_class = StudyApiFilter
    pagination_class = KeysetPagination
    write_permissions = {
        "create": ["evidence.add_study"],
        "update": ["evidence.change_study"],
        "partial_update": ["evidence.change_study"],
    }

    def get_queryset(self):
        return Study.objects.for_api()

    def perform_create(self, serializer):
        serializer.instance = study_save_and_regrade(
            study=Study(), by=self.request.user, changes=serializer.validated_data
        )

    def update(self, request, *args, partial=False, **kwargs):
        study = self.get_object()
        seen = seen_from_if_match(request, study)  # 412 before the body is read
        serializer = self.get_serializer(study, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        serializer.instance = study_save_and_regrade(
            study=study, by=request.user, changes=serializer.validated_data, seen=seen
        )
        return Response(serializer.data)


def _finding_action(summary, description, request=None):
    return extend_schema(
        summary=summary,
        description=f"{description} With If-Match (the finding's ETag as read), refused with "
        f"412 if somebody changed it since.",
        request=request,
        responses={200: FindingSerializer, **CHANGE_ERRORS},
        parameters=CHANGE_HEADERS,
        filters=False,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Findings",
        description="How each study bears on each claim, in the order they were added, a page "
        "at a time through `next`. Readers see approved findings on published claims; "
        "researchers, graders and admins see every finding, drafts, submitted and rejected "
        "ones too.",
        responses={200: FindingSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A finding",
        description="Its ETag header is its version: send it back as If-Match with a change "
        "or a step of its review. (The version is the finding's own: a change to its study or "
        "claim does not count it up.)",
        responses={200: FindingSerializer, **errors(404)},
        parameters=[ETAG],
    ),
    create=extend_schema(
        summary="Add a finding (a draft)",
        description="Researchers, graders and admins. One finding per study and claim.",
        request=FindingWriteSerializer,
        responses={201: FindingSerializer, **errors(400, 401, 403)},
        parameters=[ETAG],
    ),
    update=extend_schema(
        summary="Change a finding",
        description="Its author's draft or rejected finding (rejected, it becomes a draft "
        "again); once submitted or approved, graders and admins only. The claims it bears "
        "on are regraded. With If-Match (the ETag of the finding as read), refused with 412 "
        "if somebody changed it since; without it, the change is made whatever was written "
        "since.",
        request=FindingWriteSerializer,
        responses={200: FindingSerializer, **CHANGE_ERRORS},
        parameters=CHANGE_HEADERS,
    ),
    partial_update=extend_schema(
        summary="Change some fields of a finding",
        description="As PUT, with only the fields given.",
        request=FindingWriteSerializer(partial=True),
        responses={200: FindingSerializer, **CHANGE_ERRORS},
        parameters=CHANGE_HEADERS,
    ),
)
class FindingViewSet(
    ETagFromVersion,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    RoleViewSet,
):
    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    pagination_class = KeysetPagination
    write_permissions = {
        "create": ["claims.add_finding"],
        "update": ["claims.change_finding"],
        "partial_update": ["claims.change_finding"],
        "submit": ["claims.change_finding"],
        "approve": ["claims.review_finding"],
        "reject": ["claims.review_finding"],
    }

    def get_queryset(self):
        return Finding.objects.visible_to(self.request.user).for_api()

    def _read(self, finding, code=status.HTTP_200_OK):
        finding = self.get_queryset().get(pk=finding.pk)
        return Response(self.get_serializer(finding).data, status=code)

    def create(self, request):
        data = FindingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = finding_save(finding=Finding(), by=request.user, changes=data.validated_data)
        return self._read(finding, status.HTTP_201_CREATED)

    def update(self, request, pk, partial=False):
        finding = self.get_object()
        if not finding_may_change(request.user, finding):  # 403 before the body is read
            raise PermissionDenied(
                "You may not change this finding: a draft is its author's or a grader's to "
                "change; a submitted or approved one, the reviewers'."
            )
        seen = seen_from_if_match(request, finding)  # 412 before the body is read
        data = FindingWriteSerializer(finding, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        finding_save(finding=finding, by=request.user, changes=data.validated_data, seen=seen)
        return self._read(finding)

    def _step(self, service, **kwargs):
        """A step of the review (submit, approve, reject), as read at If-Match's version."""
        finding = self.get_object()
        seen = seen_from_if_match(self.request, finding)
        return self._read(service(finding=finding, by=self.request.user, seen=seen, **kwargs))

    @_finding_action(
        "Submit a draft finding for review", "Its author, a grader or an admin; a draft only."
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk):
        return self._step(finding_submit)

    @_finding_action(
        "Approve a submitted finding",
        "Graders and admins; a submitted finding only, and not one of their own (403) unless "
        "FINDING_SELF_APPROVAL is on. It counts in grading from now on: its claim's "
        "provisional grade is recomputed at once.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk):
        return self._step(finding_approve)

    @_finding_action(
        "Reject a submitted finding, saying why",
        "Graders and admins; a submitted finding only; `because` is required.",
        request=RejectSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk):
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(finding_reject, because=data.validated_data["because"])
