"""What the API's text fields take: a string, as the schema says (not a number made one), and
no control character but tab, line feed and carriage return (config.text)."""

import pytest

from evidence.models import Study
from tests.factories import FindingFactory, StudyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("abstract", 1.4e-307, ["Not a valid string."]),
        ("title", 12, ["Not a valid string."]),
        ("volume", 3, ["Not a valid string."]),
        ("journal", {"name": "Synthetic"}, ["Not a valid string."]),
        ("authors", ["Testauthor A", 7], {"1": ["Not a valid string."]}),
        ("keywords", [False], {"0": ["Not a valid string."]}),
    ],
)
def test_a_study_field_the_schema_says_is_text_refuses_anything_else(
    client_for, field, value, error
):
    study = StudyFactory(title="Synthetic stored title", abstract="", volume="")
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {field: error}
    assert Study.objects.get().title == "Synthetic stored title"


def test_a_new_study_with_a_number_for_its_abstract_is_not_stored(client_for):
    response = client_for("researcher").post(
        "/api/studies/", {"title": "Synthetic title", "abstract": 1.4e-307}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"abstract": ["Not a valid string."]}
    assert not Study.objects.exists()


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("title", "Synthetic\x01title", "The control character U+0001"),
        ("title", "Synthetic \x1b[31mred\x1b[0m title", "The control character U+001B"),
        ("title", "Synthetic\x00title", "A NUL character (byte 0)"),
        ("volume", "12\x0b", "The control character U+000B"),
        ("volume", "\x7f12", "The control character U+007F"),
        ("abstract", "Synthetic\x0cnext page", "The control character U+000C"),
        ("abstract", "Synthetic\x85next line", "The control character U+0085"),
    ],
)
def test_a_control_character_in_a_study_field_is_refused_naming_it(
    client_for, field, value, named
):
    study = StudyFactory(title="Synthetic stored title", abstract="", volume="")
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {field: value}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        field: [
            f"{named} is not allowed in text; of the control characters only tabs and line "
            "breaks are."
        ]
    }
    study.refresh_from_db()
    assert (study.title, study.volume, study.abstract) == ("Synthetic stored title", "", "")


def test_a_control_character_in_an_authors_name_is_refused(client_for):
    study = StudyFactory(authors=["Testauthor A"])
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {"authors": ["Testauthor\x02 B"]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["authors"]) == ["0"]
    assert Study.objects.get().authors == ["Testauthor A"]


def test_tabs_and_line_breaks_are_text(client_for):
    study = StudyFactory()
    abstract = "Synthetic background.\n\tIndented methods.\r\nResults on a Windows line."
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {"abstract": abstract}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Study.objects.get().abstract == abstract


def test_a_findings_note_and_a_rejections_reason_take_text_only(client_for, researcher):
    draft = FindingFactory(status="draft", created_by=researcher, note="Synthetic note.")
    for note in (5, "Synthetic\x07note."):
        response = client_for("researcher").patch(
            f"/api/findings/{draft.pk}/", {"note": note}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()) == ["note"]
    submitted = FindingFactory(status="submitted")
    for because in (1, "Synthetic\x08reason"):
        response = client_for("grader").post(
            f"/api/findings/{submitted.pk}/reject/", {"because": because}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()) == ["because"]
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert (draft.note, submitted.status) == ("Synthetic note.", "submitted")


def test_a_study_title_past_the_limit_is_a_400_naming_the_field(client_for):
    response = client_for("researcher").post(
        "/api/studies/", {"title": "Synthetic " * 90, "doi": "10.5555/synthetic.long.title"}
    )
    assert response.status_code == 400, response.content
    assert "A title has at most 800 characters" in response.json()["title"][0]
