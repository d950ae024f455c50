"""study_values: a record's study checked by the rules of full_clean() without a Study, giving
the same values, and the same messages for a record with an error."""

import pytest
from django.core.exceptions import ValidationError

from evidence.importers import Record, guess
from evidence.models import Study
from evidence.services import COPIED, VALUES, study_from_record, study_values


def record(**fields):
    values = {
        "title": "Synthetic trial of a made-up compound",
        "authors": ["Testauthor A", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2020,
        "doi": "10.5555/synthetic.values.1",
        "pmid": "990000401",
        "pmcid": "PMC990000401",
        "keywords": ["Humans"],
        "mesh_terms": ["Humans"],
        "publication_types": ["Randomized Controlled Trial"],
        **fields,
    }
    return guess.complete(Record(number=1, line=1, **values))


VALID = {
    "as usual": {},
    "identifiers to normalize": {
        "doi": "https://doi.org/10.5555/SYNTHETIC.Values.2",
        "pmid": "PMID: 990000402",
        "pmcid": "990000402",
    },
    "no identifiers, no year": {"doi": "", "pmid": "", "pmcid": "", "year": None},
    "long fields cut": {
        "journal": "J" * 400,
        "volume": "1" * 60,
        "issue": "2" * 60,
        "pages": "3" * 60,
        "language": "e" * 120,
        "url": "https://example.org/" + "x" * 600,
    },
    "a url": {"url": "https://example.org/synthetic/values"},
    "a design and population given": {
        "design": "cohort",
        "population": "human",
        "design_guessed": False,
        "population_guessed": True,
    },
    "a title at the limit": {"title": "S" * 800},
    "accents": {"title": "Synthetic café study", "authors": ["Müller J"]},
}

INVALID = {
    "no title": {"title": ""},
    "a title past the limit": {"title": "S" * 801},
    "a doi without 10.": {"doi": "not-a-doi"},
    "a doi too long": {"doi": "10.5555/" + "x" * 300},
    "a pmid with a letter": {"pmid": "99000x"},
    "a pmid from 0": {"pmid": "0990000"},
    "a pmid too long": {"pmid": "9" * 21},
    "a pmcid with a letter": {"pmcid": "PMC99x"},
    "a url that is none": {"url": "https://not_a_host/synthetic"},
    "a design that is none": {"design": "anecdote", "design_guessed": False},
    "a population that is none": {"population": "plants", "population_guessed": False},
    "several at once": {"title": "", "doi": "x" * 300, "pmid": "x"},
}


@pytest.mark.parametrize("fields", VALID.values(), ids=VALID.keys())
def test_a_valid_record_gives_the_values_of_the_study_full_clean_validates(fields):
    study = study_from_record(record(**fields))
    assert study_values(record(**fields)) == tuple(getattr(study, name) for name in VALUES)


@pytest.mark.parametrize("fields", INVALID.values(), ids=INVALID.keys())
def test_a_record_with_an_error_is_refused_with_the_messages_of_full_clean(fields):
    with pytest.raises(ValidationError) as expected:
        study_from_record(record(**fields))
    with pytest.raises(ValidationError) as refused:
        study_values(record(**fields))
    assert refused.value.message_dict == expected.value.message_dict


def test_an_import_copies_every_field_of_a_study():
    # A field added to Study must be given a value by the import's COPY (services.COPIED).
    written = [f.attname for f in Study._meta.concrete_fields if not f.generated]
    assert sorted(COPIED) == sorted(written)
