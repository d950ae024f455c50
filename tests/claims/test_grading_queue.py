import pytest
from django.urls import reverse

from claims.models import AssessmentStatus, Claim, FindingStatus
from claims.services import claims_grade
from config.paging import CappedPaginator
from evidence.models import AppraisalTool
from tests.claims.forms_data import appraisal_form
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
    UserFactory,
    appraise,
)
from tests.plans import search_estimates


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_claims(
    client, grader, rows, django_assert_num_queries, settings
):
    other = UserFactory()
    for claim in ClaimFactory.create_batch(rows):
        AssessmentFactory(claim=claim)
        AssessmentFactory(claim=claim, status=AssessmentStatus.SUBMITTED, author=other)
        AssessmentFactory(claim=claim, status=AssessmentStatus.DRAFT, author=grader)
    client.force_login(grader)
    # session, user, the user's permissions, what waits (flagged claims, studies the retraction
    # re-check found retracted, unassessed claims, rounds ready, findings to approve, the
    # appraisal tools' designs, studies to appraise), how many claims, a page of claims with
    # their rounds, the last regrade of the library
    with django_assert_num_queries(14):
        response = client.get(reverse("grading:queue"))
    rows_shown = list(response.context["claims"])
    assert len(rows_shown) == min(rows, settings.PAGE_SIZE)
    assert {(c.submitted_count, c.my_status) for c in rows_shown} == {(1, "draft")}


@pytest.mark.parametrize("rows", [3, 30])
def test_a_search_runs_a_fixed_number_of_queries_whatever_it_finds(
    client, grader, rows, django_assert_num_queries, settings
):
    ClaimFactory.create_batch(rows, text="Synthetic herb lowers a synthetic marker")
    client.force_login(grader)
    # session, user, the user's and the role's permissions, what the planner knows of the
    # word (PostgreSQL), the matches' keys, how many (to the cap), a page of them with their
    # rounds, the last regrade; no section of what waits
    settings.PAGE_SIZE = 25
    with django_assert_num_queries(8 + search_estimates()):
        response = client.get(reverse("grading:queue"), {"q": "herb"})
    assert len(response.context["claims"]) == min(rows, 25)


def test_it_is_for_staff_only(client, reader):
    client.force_login(reader)
    assert client.get(reverse("grading:queue")).status_code == 302


def test_it_pages_through_every_claim_in_the_order_of_their_text(client, grader, settings):
    settings.PAGE_SIZE = 2
    claims = [ClaimFactory(text=f"Synthetic queued claim {n}") for n in range(5)]
    client.force_login(grader)

    first = client.get(reverse("grading:queue"))
    last = client.get(reverse("grading:queue"), {"page": 3})

    assert [c.text for c in first.context["claims"]] == [claims[0].text, claims[1].text]
    assert "Page 1 of 3" in first.content.decode()
    assert [c.text for c in last.context["claims"]] == [claims[4].text]
    assert last.context["work"] == []  # what waits is on the first page only


def test_every_claim_stays_reachable_however_many_there_are(client, grader, settings, monkeypatch):
    # The public lists stop at their count's cap and offer filters; the queue has none.
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    settings.PAGE_SIZE = 2
    claims = [ClaimFactory(text=f"Synthetic queued claim {n}") for n in range(6)]
    client.force_login(grader)

    last = client.get(reverse("grading:queue"), {"page": 3})

    assert [c.text for c in last.context["claims"]] == [claims[4].text, claims[5].text]
    assert "Page 3 of 3" in last.content.decode()


def test_a_grader_finds_a_claim_in_the_queue_by_its_words(client, grader, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        ClaimFactory(text=f"Synthetic herb {n} lowers a synthetic marker")
    ClaimFactory(text="Synthetic compound raises another measure")
    client.force_login(grader)

    first = client.get(reverse("grading:queue"), {"q": "herb"})
    second = client.get(reverse("grading:queue"), {"q": "herb", "page": 2})

    assert [c.text for c in first.context["claims"]] == [
        "Synthetic herb 0 lowers a synthetic marker",
        "Synthetic herb 1 lowers a synthetic marker",
    ]
    html = first.content.decode()
    assert "Claims with “herb”" in html and 'href="?q=herb&amp;page=2"' in html
    assert first.context["work"] == []  # the search, not the work waiting
    assert [c.text for c in second.context["claims"]] == [
        "Synthetic herb 2 lowers a synthetic marker"
    ]


def test_a_search_is_counted_up_to_the_cap_and_says_more_than(
    client, grader, settings, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    settings.PAGE_SIZE = 2
    ClaimFactory.create_batch(5, text="Synthetic herb lowers a synthetic marker")
    client.force_login(grader)
    response = client.get(reverse("grading:queue"), {"q": "herb"})
    assert "Page 1 of more than 2" in response.content.decode()


def test_a_search_that_finds_nothing_says_so(client, grader):
    ClaimFactory(text="Synthetic compound raises another measure")
    client.force_login(grader)
    response = client.get(reverse("grading:queue"), {"q": "zzzz"})
    assert "No claim has these words" in response.content.decode()


def sections(response):
    return {section.name: section for section in response.context["work"]}


@pytest.fixture
def waiting(db, grader, researcher, second_grader):
    """One piece of each kind of work, plainly synthetic."""
    flagged = ClaimFactory(text="Synthetic claim whose grade was flagged")
    AssessmentFactory(
        claim=flagged,
        status=AssessmentStatus.PUBLISHED,
        author=second_grader,
        needs_review=True,
        needs_review_because="A synthetic study it rests on was retracted.",
    )
    unassessed = ClaimFactory(text="Synthetic claim only the rules graded")
    FindingFactory(claim=unassessed, study=StudyFactory(design="rct"))
    claims_grade(claims=Claim.objects.filter(pk=unassessed.pk))
    ready = ClaimFactory(text="Synthetic claim with a full round")
    for author in (second_grader, UserFactory()):
        AssessmentFactory(claim=ready, status=AssessmentStatus.SUBMITTED, author=author)
    submitted = FindingFactory(status=FindingStatus.SUBMITTED, created_by=researcher)
    return {"flagged": flagged, "unassessed": unassessed, "ready": ready, "finding": submitted}


def test_a_grader_finds_each_kind_of_waiting_work_one_click_from_its_form(client, grader, waiting):
    client.force_login(grader)
    response = client.get(reverse("grading:queue"))
    found = sections(response)
    page = response.content.decode()

    assert [c.text for c in found["flagged"].rows] == [waiting["flagged"].text]
    assert [c.text for c in found["unassessed"].rows] == [waiting["unassessed"].text]
    assert [c.text for c in found["consensus"].rows] == [waiting["ready"].text]
    assert found["findings"].rows == [waiting["finding"]]
    # the study of the unassessed claim's finding and the submitted finding's: nobody appraised
    assert {s.pk for s in found["appraise"].rows} == {
        waiting["unassessed"].findings.get().study_id,
        waiting["finding"].study_id,
    }
    for link in [
        reverse("grading:assess", args=[waiting["flagged"].slug]),
        reverse("grading:assess", args=[waiting["unassessed"].slug]),
        reverse("grading:consensus", args=[waiting["ready"].slug]),
        reverse("admin:claims_finding_change", args=[waiting["finding"].pk]),
        reverse("grading:appraise", args=[waiting["finding"].study_id]),
    ]:
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200, link


def test_work_the_grader_has_done_leaves_the_queue(client, grader, waiting):
    AssessmentFactory(claim=waiting["unassessed"], status=AssessmentStatus.SUBMITTED, author=grader)
    appraise(waiting["finding"].study, grader)
    client.force_login(grader)
    found = sections(client.get(reverse("grading:queue")))
    assert found["unassessed"].rows == []
    assert waiting["finding"].study_id not in {s.pk for s in found["appraise"].rows}


def test_a_grader_never_finds_their_own_finding_to_approve(client, grader, settings):
    settings.FINDING_SELF_APPROVAL = False
    FindingFactory(status=FindingStatus.SUBMITTED, created_by=grader)
    client.force_login(grader)
    response = client.get(reverse("grading:queue"))
    assert sections(response)["findings"].rows == []
    assert "Nothing waits here." in response.content.decode()


def test_a_researcher_sees_no_graders_work(client, researcher, waiting):
    client.force_login(researcher)
    assert client.get(reverse("grading:queue")).context["work"] == []


def test_each_section_shows_the_first_ten_and_says_more_wait(client, grader):
    for _ in range(12):
        FindingFactory(status=FindingStatus.SUBMITTED)
    client.force_login(grader)
    response = client.get(reverse("grading:queue"))
    findings = sections(response)["findings"]
    assert (len(findings.rows), findings.more) == (10, True)
    assert "The first 10 are shown; more wait" in response.content.decode()


def test_a_saved_appraisal_ends_on_the_queue_saying_so(client, grader):
    study = StudyFactory(design="rct")
    FindingFactory(study=study)
    client.force_login(grader)
    data = appraisal_form(AppraisalTool.objects.for_design("rct")[0], "low")
    response = client.post(reverse("grading:appraise", args=[study.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("grading:queue")
    assert f"Your appraisal of {study.short_label} is saved" in response.content.decode()


def test_the_admins_and_the_public_study_page_link_graders_to_the_appraisal(client, grader):
    study = StudyFactory()
    link = f'href="{reverse("grading:appraise", args=[study.pk])}"'
    assert link not in client.get(reverse("claims:study", args=[study.pk])).content.decode()
    client.force_login(grader)
    assert link in client.get(reverse("claims:study", args=[study.pk])).content.decode()
    admin_page = client.get(reverse("admin:evidence_study_change", args=[study.pk]))
    assert link in admin_page.content.decode()


def test_a_study_with_only_a_begun_appraisal_still_waits(client, grader, waiting):
    study = waiting["finding"].study
    appraise(study, grader).domain_judgements.first().delete()  # not complete
    client.force_login(grader)
    found = sections(client.get(reverse("grading:queue")))
    assert study.pk in {s.pk for s in found["appraise"].rows}
