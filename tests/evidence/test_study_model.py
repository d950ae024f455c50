import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evidence.models import Study
from tests.factories import StudyFactory


def test_cleaning_normalizes_the_doi_to_lower_case_without_a_resolver_prefix(db):
    study = StudyFactory.build(
        doi="https://doi.org/10.5555/SYNTHETIC.ABC ", pmid=" 990000001", pmcid="pmc990000123"
    )
    study.full_clean()
    assert (study.doi, study.pmid, study.pmcid) == (
        "10.5555/synthetic.abc",
        "990000001",
        "PMC990000123",
    )


def test_the_database_refuses_a_doi_that_is_not_normalized(db):
    with pytest.raises(IntegrityError):
        StudyFactory(doi="10.5555/UPPER")


def test_the_database_refuses_a_doi_with_a_resolver_prefix(db):
    with pytest.raises(IntegrityError):
        StudyFactory(doi="https://doi.org/10.5555/x")


@pytest.mark.parametrize(
    "field,value", [("doi", "10.5555/same"), ("pmid", "990000999"), ("pmcid", "PMC990000999")]
)
def test_identifiers_are_unique_when_present(db, field, value):
    StudyFactory(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyFactory(**{field: value})


def test_many_studies_may_lack_an_identifier(db):
    StudyFactory.create_batch(3, doi="", pmid="", pmcid="")
    assert Study.objects.filter(doi="", pmid="", pmcid="").count() == 3


def test_a_pmid_with_letters_is_refused_with_a_clear_message(db):
    study = StudyFactory.build(pmid="12ab")
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert "digits only" in str(error.value)


def test_only_reviews_say_whether_they_pool_randomised_trials(db):
    with pytest.raises(IntegrityError):
        StudyFactory(design="cohort", pools_randomised=True)


def test_its_short_label_is_first_author_surname_and_year(db):
    assert StudyFactory.build(authors=["de Testauthor F", "Other B"], year=2019).short_label == (
        "de Testauthor 2019"
    )


def test_identifiers_link_to_doi_org_and_pubmed(db):
    study = StudyFactory.build(doi="10.5555/x", pmid="990000001", pmcid="PMC990000001")
    assert study.doi_url == "https://doi.org/10.5555/x"
    assert study.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/990000001/"
    assert study.pmc_url == "https://pmc.ncbi.nlm.nih.gov/articles/PMC990000001/"


def test_a_title_longer_than_the_limit_is_refused_with_a_reason(db):
    study = StudyFactory.build(title="Synthetic " * 81)  # 810 characters
    with pytest.raises(ValidationError) as refused:
        study.full_clean()
    assert refused.value.message_dict["title"] == [
        "A title has at most 800 characters (this one has 810): is another field, such as "
        "the abstract, in the title?"
    ]


def test_a_title_at_the_limit_is_stored_and_the_database_refuses_a_longer_one(db):
    # On PostgreSQL a title much longer than this could not even enter the list's title
    # indexes (at most about 2,700 bytes an entry): the limit keeps that from being a 500.
    StudyFactory(title="ж" * 800)
    with pytest.raises(IntegrityError), transaction.atomic():
        StudyFactory(title="ж" * 801)
