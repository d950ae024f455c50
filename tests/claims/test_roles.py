from django.contrib.auth.models import Group

from claims.roles import Role


def codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_the_migrations_create_a_group_for_every_role(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {str(r) for r in Role}


def test_a_reader_has_no_permission_beyond_reading_published_pages(db):
    assert codenames(Role.READER) == set()


def test_a_researcher_enters_studies_and_findings_but_cannot_approve_or_grade(db):
    researcher = codenames(Role.RESEARCHER)
    assert {
        "add_study",
        "change_study",
        "add_finding",
        "change_finding",
        "add_claim",
        "add_statement",
    } <= researcher
    assert (
        not {
            "review_finding",
            "add_assessment",
            "publish_assessment",
            "add_appraisal",
            "delete_study",
        }
        & researcher
    )


def test_a_grader_appraises_approves_and_publishes(db):
    grader = codenames(Role.GRADER)
    assert {"add_appraisal", "review_finding", "add_assessment", "publish_assessment"} <= grader
    assert "delete_study" not in grader


def test_an_admin_can_do_everything_including_users(db):
    admin = codenames(Role.ADMIN)
    assert {
        "delete_study",
        "delete_claim",
        "add_user",
        "change_user",
        "publish_assessment",
    } <= admin


def test_researchers_and_graders_import_studies_and_resolve_possible_duplicates(db):
    importing = {"add_studyimport", "view_studyimport", "change_possibleduplicate"}
    assert importing <= codenames(Role.RESEARCHER)
    assert importing <= codenames(Role.GRADER)
    assert importing <= codenames(Role.ADMIN)
    assert "delete_study" not in codenames(Role.RESEARCHER)
