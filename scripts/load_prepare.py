"""Prepare the database `make load` runs against, then write what the load test needs as JSON.

    DATABASE_URL=postgres://... .venv/bin/python scripts/load_prepare.py --out plan.json [--studies N ...]

Migrates, loads the seed article, adds a synthetic library (manage.py make_library --force),
and makes the load test's own synthetic users: researchers and graders with API tokens, and for
each grader a queue of claims whose round of independent assessments is complete (two
assessors submitted), with the form data that accepts the rules' suggestion, so that every
publish the graders make during the run is a real consensus through the API.
"""

import argparse
import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402

from claims.forms import AssessmentForm  # noqa: E402
from claims.models import Article, Assessment, AssessmentStatus, Claim, Status  # noqa: E402
from claims.roles import Role  # noqa: E402
from claims.services import assessment_save, claims_grade  # noqa: E402
from claims.synthetic import DOI_PREFIX  # noqa: E402
from evidence.models import Study  # noqa: E402


def user(name, role):
    account, _ = get_user_model().objects.get_or_create(
        username=name, defaults={"is_staff": role != Role.READER}
    )
    account.set_unusable_password()
    account.save()
    account.groups.add(Group.objects.get(name=role))
    return account


def token(account):
    out = io.StringIO()
    call_command("create_api_token", account.username, "--reset", stdout=out)
    return out.getvalue().split()[-1]


def ready_rounds(claims, assessors):
    """Two submitted independent assessments per claim, each accepting the suggestion; returns
    the consensus form data per claim slug."""
    claims_grade(claims=Claim.objects.filter(pk__in=[c.pk for c in claims]))
    rounds = {}
    for claim in claims:
        suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
        data = AssessmentForm.data_accepting(suggestion, "Load test: synthetic reasons.")
        for assessor in assessors:
            form = AssessmentForm(data, suggestion=suggestion)
            if not form.is_valid():
                raise SystemExit(f"{claim.slug}: {form.errors.as_text()}")
            assessment_save(claim=claim, author=assessor, form=form, submit=True)
        rounds[claim.slug] = data
    return rounds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="Where to write the plan (JSON).")
    parser.add_argument("--studies", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=2_000)
    parser.add_argument("--findings", type=int, default=60_000)
    parser.add_argument("--researchers", type=int, default=5)
    parser.add_argument("--graders", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=150, help="Ready claims per grader.")
    args = parser.parse_args()

    quiet = io.StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_seed", stdout=quiet)
    if not Study.objects.filter(doi__startswith=DOI_PREFIX).exists():
        call_command(
            "make_library",
            "--force",
            f"--studies={args.studies}",
            f"--claims={args.claims}",
            f"--findings={args.findings}",
            "--articles=5",
            "--statements=600",
            stdout=sys.stderr,
        )

    assessors = [user(f"load-assessor-{n}", Role.GRADER) for n in (1, 2)]
    researchers = [user(f"load-researcher-{n}", Role.RESEARCHER) for n in range(1, args.researchers + 1)]
    graders = [user(f"load-grader-{n}", Role.GRADER) for n in range(1, args.graders + 1)]

    # Claims that have approved findings and no open round; each grader gets its own queue, so
    # that two graders never race for one claim (that race is tested in the suite: 409).
    open_rounds = Assessment.objects.filter(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED])
    candidates = list(
        Claim.objects.filter(status=Status.PUBLISHED, slug__startswith="synthetic-claim-")
        .exclude(pk__in=open_rounds.values("claim"))
        .order_by("-pk")[: args.rounds * len(graders)]
    )
    rounds = ready_rounds(candidates, assessors)
    slugs = list(rounds)

    page_size = settings.PAGE_SIZE
    plan = {
        # The last page of each list a reader can reach (the site and the API page alike).
        "claim_pages": max(1, -(-Claim.objects.published().count() // page_size)),
        "study_pages": max(1, -(-Study.objects.count() // page_size)),
        "articles": list(Article.objects.published().values_list("slug", flat=True)),
        "claims": list(
            Claim.objects.published().order_by("?").values_list("slug", flat=True)[:500]
        ),
        "studies": list(Study.objects.order_by("?").values_list("pk", flat=True)[:500]),
        "researchers": [token(r) for r in researchers],
        "graders": [
            {"token": token(g), "rounds": {s: rounds[s] for s in slugs[n :: len(graders)]}}
            for n, g in enumerate(graders)
        ],
    }
    Path(args.out).write_text(json.dumps(plan))


if __name__ == "__main__":
    main()
