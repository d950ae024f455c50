from io import StringIO

from django.core.management import call_command

from claims.models import Article, Claim
from evidence.models import Study


def run():
    out = StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


def test_it_loads_the_seed_into_an_empty_database(db):
    assert "Loaded the seed: 1 article, 10 claims, 28 studies." in run()
    assert Article.objects.get().slug == "kratom-prolactin-inflammation"


def test_it_never_overwrites_work_already_in_the_database(db):
    run()
    claim = Claim.objects.get(slug="kratom-lowers-prolactin-levels")
    claim.text = "Edited by a grader."
    claim.save()
    assert "the seed was not loaded again" in run()
    claim.refresh_from_db()
    assert claim.text == "Edited by a grader."
    assert Study.objects.count() == 28
