import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from claims.models import Article, Assessment, Claim, Finding, Statement, StatementClaim
from evidence.models import Appraisal, Study
from tests.factories import StudyFactory


def make_library(*args):
    call_command(
        "make_library",
        "--studies=600",
        "--claims=5",
        "--findings=900",
        "--articles=2",
        "--statements=230",
        *args,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )


@pytest.mark.django_db
def test_it_fills_the_library_it_is_asked_for():
    make_library()

    assert Study.objects.count() == 600
    assert Claim.objects.count() == 5
    assert Finding.objects.count() == 900
    assert Article.objects.count() == 2
    assert Statement.objects.count() == StatementClaim.objects.count() == 230
    assert Assessment.objects.exists()
    assert Appraisal.objects.exists()


@pytest.mark.django_db
def test_on_postgresql_it_leaves_the_planner_statistics_of_what_it_filled():
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and pg_class.reltuples are PostgreSQL's")
    make_library()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('evidence_study', 'claims_claim', 'claims_finding') ORDER BY relname"
        )
        assert cursor.fetchall() == [
            ("claims_claim", 5.0),
            ("claims_finding", 900.0),
            ("evidence_study", 600.0),
        ]


@pytest.mark.django_db
def test_every_study_says_it_is_synthetic():
    make_library()

    assert not Study.objects.exclude(doi__startswith="10.5555/").exists()
    assert not Study.objects.exclude(title__startswith="Synthetic study").exists()
    assert not Study.objects.exclude(pmid="").exists()


@pytest.mark.django_db
def test_one_claim_has_500_findings_and_one_article_200_statements():
    make_library()

    per_claim = Finding.objects.values("claim").annotate(n=Count("pk")).order_by("-n")
    assert per_claim[0]["n"] == 500
    per_article = Article.objects.annotate(n=Count("statements")).order_by("-n")
    assert per_article[0].n == 200
    assert per_article[1].n == 30


@pytest.mark.django_db
def test_its_statements_are_the_spans_of_their_article():
    make_library()

    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text


@pytest.mark.django_db
def test_the_database_takes_new_records_after_it():
    make_library()

    study = StudyFactory()

    assert study.pk > Study.objects.exclude(pk=study.pk).order_by("-pk").first().pk


@pytest.mark.django_db
def test_it_gives_the_same_library_for_the_same_seed():
    make_library("--seed=7")
    first = list(Finding.objects.order_by("pk").values_list("study_id", "claim_id", "direction"))
    Finding.objects.all().delete()
    Statement.objects.all().delete()
    Article.objects.all().delete()
    Assessment.objects.all().delete()
    Appraisal.objects.all().delete()
    Claim.objects.all().delete()
    Study.objects.all().delete()

    make_library("--seed=7")
    second = list(Finding.objects.order_by("pk").values_list("study_id", "claim_id", "direction"))

    offset = second[0][0] - first[0][0], second[0][1] - first[0][1]
    assert [(s - offset[0], c - offset[1], d) for s, c, d in second] == first


def test_it_refuses_a_database_with_real_studies(seed):
    with pytest.raises(CommandError, match="not synthetic"):
        make_library()

    assert not Study.objects.filter(doi__startswith="10.5555/").exists()


def test_it_adds_beside_real_studies_when_forced(seed):
    real = set(Study.objects.values_list("pk", "title"))

    make_library("--force")

    assert real <= set(Study.objects.values_list("pk", "title"))
    assert Study.objects.filter(doi__startswith="10.5555/").count() == 600
