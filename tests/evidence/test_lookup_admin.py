"""The admin's "Add by identifier" page: DOIs, PMIDs and PMCIDs pasted, looked up in the local
stub of NCBI and Crossref (recorded answers), imported, each with its outcome and study."""

import re

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from evidence.models import Study

LOOKUP = reverse("admin:evidence_study_lookup")


def results(response):
    """(identifier, outcome, study link) of each row of the results."""
    body = response.content.decode()
    table = body[body.index('id="lookup-results"') :]
    found = []
    for row in re.findall(r"<tr>\s*<td(.*?)</tr>", table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", "<td" + row, re.S)
        link = re.search(r'href="([^"]+)"', cells[2])
        found.append((cells[0].strip(), cells[1].strip(), link.group(1) if link else None))
    return found


def test_the_import_page_and_the_study_list_link_to_it(client, researcher):
    client.force_login(researcher)
    assertContains(client.get(reverse("admin:evidence_study_import")), f'href="{LOOKUP}"')
    assertContains(client.get(reverse("admin:evidence_study_changelist")), f'href="{LOOKUP}"')


def test_a_doi_and_a_pmid_pasted_create_their_studies(client, researcher, lookup_stub):
    client.force_login(researcher)
    response = client.post(LOOKUP, {"identifiers": "10.5555/synthetic.lookup.1\nPMID: 99999302\n"})
    assert response.status_code == 200
    by_doi = Study.objects.get(doi="10.5555/synthetic.lookup.1")
    by_pmid = Study.objects.get(pmid="99999302")
    change = "admin:evidence_study_change"
    assert results(response) == [
        ("DOI 10.5555/synthetic.lookup.1", "created", reverse(change, args=[by_doi.pk])),
        ("PMID 99999302", "created", reverse(change, args=[by_pmid.pk])),
    ]
    assertContains(response, "<strong>2 created</strong>")
    assertContains(response, "Synthetic study looked up by its DOI")
    assert by_pmid.retracted  # the recorded record is marked "Retracted Publication"


def test_a_doi_only_crossref_knows_and_one_nobody_knows(client, researcher, lookup_stub):
    client.force_login(researcher)
    response = client.post(
        LOOKUP, {"identifiers": "doi:10.5555/synthetic.lookup.crossref\n10.5555/synthetic.none"}
    )
    study = Study.objects.get()
    assert results(response) == [
        (
            "DOI 10.5555/synthetic.lookup.crossref",
            "created",
            reverse("admin:evidence_study_change", args=[study.pk]),
        ),
        ("DOI 10.5555/synthetic.none", "not found", None),
    ]
    assertContains(response, "from Crossref")
    assertContains(response, "Neither PubMed nor Crossref knows this DOI.")


def test_nothing_recognisable_is_a_form_error(client, researcher, lookup_stub):
    client.force_login(researcher)
    response = client.post(LOOKUP, {"identifiers": "a synthetic title"})
    assertContains(response, "No DOI (10.xxxx/…)")
    assert lookup_stub.requests == []


def test_when_lookup_is_off_the_page_says_how_to_import_a_file_instead(
    client, researcher, lookup_stub, settings
):
    settings.LOOKUP_ENABLED = False
    client.force_login(researcher)
    for response in (client.get(LOOKUP), client.post(LOOKUP, {"identifiers": "99999302"})):
        assertContains(response, "turned off on this server (LOOKUP_ENABLED=false)")
        assertContains(response, f'href="{reverse("admin:evidence_study_import")}"')
        assertNotContains(response, "<textarea")
    assert not Study.objects.exists()
    assert lookup_stub.requests == []


def test_it_is_for_those_who_may_import(client, reader, grader):
    client.force_login(grader)
    assert client.get(LOOKUP).status_code == 200
    client.force_login(reader)
    assert client.get(LOOKUP).status_code != 200
