"""An import says of each new study whose design or population it could not tell that findings
on it will not count until it is classified (issue 12, item 3), in the admin's preview and
result, the API's outcomes and the command's report."""

from django.urls import reverse

from evidence.importers import parse
from evidence.models import Study, StudyImport
from evidence.services import UNCLASSIFIED_NOTE, studies_import
from tests.evidence.importing import rows, upload

# Two synthetic MEDLINE records: the first a randomised trial in humans (its design and
# population guessed from its publication type and MeSH), the second a bare journal article.
MEDLINE = """PMID- 99999301
TI  - Synthetic classified trial.
AU  - Testauthor A
DP  - 2020
PT  - Randomized Controlled Trial
MH  - Humans

PMID- 99999302
TI  - Synthetic unclassified article.
AU  - Testauthor B
DP  - 2020
PT  - Journal Article
"""


def test_a_new_record_without_design_or_population_is_told_it_will_not_count(db, researcher):
    result = studies_import(records=parse(MEDLINE), user=researcher)
    classified, unclassified = result.outcomes
    assert (classified.status, classified.message) == ("new", "")
    assert (unclassified.status, unclassified.message) == ("new", UNCLASSIFIED_NOTE)
    assert Study.objects.get(pmid="99999301").is_classified
    assert not Study.objects.get(pmid="99999302").is_classified


def test_the_admins_preview_says_it_per_record(client, researcher):
    client.force_login(researcher)
    upload(client, "synthetic.nbib", MEDLINE)
    study_import = StudyImport.objects.get()
    preview = client.get(reverse("admin:evidence_study_import_preview", args=[study_import.pk]))
    assert rows(preview) == [(1, "New"), (2, f"New ({UNCLASSIFIED_NOTE})")]
