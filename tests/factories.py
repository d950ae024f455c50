"""Plainly synthetic records for tests. Nothing here is, or looks like, a real citation:
titles say "Synthetic", DOIs use the 10.5555 test prefix, PMIDs start at 990000001."""

import factory
from django.contrib.auth import get_user_model

from claims import models as claims
from evidence import models as evidence


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class StudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = evidence.Study

    title = factory.Sequence(lambda n: f"Synthetic study {n} of a made-up intervention")
    authors = factory.Sequence(lambda n: [f"Testauthor{n} A", "Second B"])
    journal = "Journal of Synthetic Test Data"
    year = 2020
    doi = factory.Sequence(lambda n: f"10.5555/synthetic.{n}")
    pmid = factory.Sequence(lambda n: str(990000001 + n))
    design = evidence.Design.CROSS_SECTIONAL
    population = evidence.Population.HUMAN
    participants = 500


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = claims.Claim

    slug = factory.Sequence(lambda n: f"synthetic-claim-{n}")
    text = factory.Sequence(lambda n: f"Synthetic substance {n} lowers a made-up marker.")
    kind = "effect"
    status = claims.Status.PUBLISHED


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = claims.Article

    slug = factory.Sequence(lambda n: f"synthetic-article-{n}")
    title = factory.Sequence(lambda n: f"Synthetic article {n}")
    body = "First sentence asserts something. Second sentence asserts more. A third one."
    status = claims.Status.PUBLISHED


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = claims.Finding

    study = factory.SubFactory(StudyFactory)
    claim = factory.SubFactory(ClaimFactory)
    direction = "supports"
    note = "A synthetic finding written for a test."
    status = claims.FindingStatus.APPROVED
    rejected_because = factory.LazyAttribute(
        lambda finding: (
            "A synthetic reason for rejecting it." if finding.status == "rejected" else ""
        )
    )


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A provisional grade, as the rules store it."""

    class Meta:
        model = claims.Assessment
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    status = claims.AssessmentStatus.PROVISIONAL
    verdict = "supported"
    certainty = "moderate"
    body = "observational"
    summary = "Synthetic summary."
    risk_of_bias_reason = "Synthetic reason."
    inconsistency_reason = "Synthetic reason."
    indirectness_reason = "Synthetic reason."
    imprecision_reason = "Synthetic reason."
    publication_bias_reason = "Synthetic reason."
    large_effect_reason = "Synthetic reason."
    dose_response_reason = "Synthetic reason."
    confounding_reason = "Synthetic reason."

    @factory.post_generation
    def stored_grade(assessment, create, extracted, **kwargs):
        """The claim's stored grade follows, as the services that write assessments do it."""
        if create:
            claims.Claim.objects.filter(pk=assessment.claim_id).store_grades()


def statement_for(article, sentence, assertion="fact", claims_=(), status="published"):
    """A statement over the first occurrence of `sentence` in the article's body, asserting
    each of `claims_` as `assertion` (published, as readers see it, unless told otherwise)."""
    from claims.services import statement_create

    start = article.body.index(sentence)
    return statement_create(
        article=article,
        start=start,
        end=start + len(sentence),
        links=[(claim, assertion) for claim in claims_],
        status=status,
    )


def appraise(study, appraiser, judgement="low", worst=None):
    """A complete appraisal with the shipped tool for the study's design: every domain judged
    `judgement`, the last one `worst` if given."""
    from evidence.models import Appraisal, AppraisalTool, DomainJudgement

    tool = AppraisalTool.objects.for_design(study.design)[0]
    appraisal = Appraisal.objects.create(study=study, appraiser=appraiser, tool=tool)
    domains = list(tool.domains.all())
    for domain in domains:
        value = worst if worst and domain == domains[-1] else judgement
        DomainJudgement.objects.create(
            appraisal=appraisal,
            domain=domain,
            judgement=tool.judgements.get(value=value),
            support="A synthetic support written for a test.",
        )
    return appraisal
