"""Lost updates in the API: a study or finding reads with its version as ETag; a write with an
If-Match naming an older version is refused with 412 and the JSON error of every endpoint
(`detail`), and nothing is written; without If-Match the write proceeds (issue 11, item 5)."""

import pytest

from claims.models import Finding, FindingStatus
from evidence.models import Study
from tests.factories import FindingFactory, StudyFactory

pytestmark = pytest.mark.django_db


def test_a_study_reads_with_its_version_as_etag(api):
    study = StudyFactory()
    response = api.get(f"/api/studies/{study.pk}/")
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_a_list_carries_no_etag(api):
    StudyFactory()
    assert "ETag" not in api.get("/api/studies/")


def test_a_change_with_the_current_etag_is_made_and_returns_the_next(client_for):
    study = StudyFactory(participants=500)
    client = client_for("researcher")
    response = client.patch(f"/api/studies/{study.pk}/", {"participants": 480}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert response.json()["version"] == 2
    assert Study.objects.get().participants == 480


def test_a_change_against_an_older_version_is_refused_with_412_and_writes_nothing(
    client_for, grader
):
    study = StudyFactory(participants=500, title="Synthetic study of a made-up marker")
    client = client_for("grader")
    client.patch(f"/api/studies/{study.pk}/", {"participants": 480}, HTTP_IF_MATCH='"1"')
    response = client_for("researcher").put(
        f"/api/studies/{study.pk}/",
        {"title": "Synthetic study, renamed", "participants": 500},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    detail = response.json()["detail"]
    assert list(response.json()) == ["detail"]
    assert detail.startswith("This study was changed by grader since you opened it, at ")
    study.refresh_from_db()
    assert (study.title, study.participants, study.version) == (
        "Synthetic study of a made-up marker",
        480,
        2,
    )


def test_a_change_without_if_match_proceeds_and_counts_the_version_up(client_for):
    study = StudyFactory()
    client = client_for("researcher")
    client.patch(f"/api/studies/{study.pk}/", {"participants": 480})
    response = client.patch(f"/api/studies/{study.pk}/", {"participants": 470})
    assert response.status_code == 200
    assert response["ETag"] == '"3"'


@pytest.mark.parametrize("header", ['W/"1"', '"7", "1"', "*"])
def test_a_weak_tag_a_list_of_tags_or_a_star_naming_the_version_matches(client_for, header):
    study = StudyFactory()
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {"participants": 480}, HTTP_IF_MATCH=header
    )
    assert response.status_code == 200


@pytest.mark.parametrize("header", ['"9"', '"abc"', "garbage"])
def test_an_if_match_naming_no_version_of_the_record_is_refused(client_for, header):
    study = StudyFactory()
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {"participants": 480}, HTTP_IF_MATCH=header
    )
    assert response.status_code == 412
    assert "names no version of this study" in response.json()["detail"]


def test_a_stale_if_match_is_refused_before_the_body_is_read(client_for):
    study = StudyFactory()
    client = client_for("researcher")
    client.patch(f"/api/studies/{study.pk}/", {"participants": 480})
    response = client.patch(f"/api/studies/{study.pk}/", {"year": "not a year"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412


def test_a_finding_reads_with_its_version_as_etag_and_a_stale_change_is_refused(
    client_for, grader
):
    finding = FindingFactory(status=FindingStatus.SUBMITTED, direction="supports")
    client = client_for("grader")
    assert client.get(f"/api/findings/{finding.pk}/")["ETag"] == '"1"'
    response = client.patch(
        f"/api/findings/{finding.pk}/", {"direction": "contradicts"}, HTTP_IF_MATCH='"1"'
    )
    assert response["ETag"] == '"2"'

    response = client_for("admin_user").patch(
        f"/api/findings/{finding.pk}/", {"note": "Synthetic, edited."}, HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 412
    assert "This finding was changed by grader since you opened it" in response.json()["detail"]
    finding.refresh_from_db()
    assert (finding.direction, finding.note) == ("contradicts", "A synthetic finding written for a test.")


@pytest.mark.parametrize(
    "step,status,data",
    [
        ("approve", FindingStatus.SUBMITTED, {}),
        ("reject", FindingStatus.SUBMITTED, {"because": "Synthetic reason."}),
        ("submit", FindingStatus.DRAFT, {}),
    ],
)
def test_a_review_step_against_an_older_version_is_refused(client_for, step, status, data):
    finding = FindingFactory(status=status, note="A synthetic note.")
    client = client_for("grader")
    client.patch(f"/api/findings/{finding.pk}/", {"note": "A synthetic note, edited."})

    response = client.post(f"/api/findings/{finding.pk}/{step}/", data, HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert Finding.objects.get().status == status
    response = client.post(f"/api/findings/{finding.pk}/{step}/", data, HTTP_IF_MATCH='"2"')
    assert response.status_code == 200
    assert response["ETag"] == '"3"'
