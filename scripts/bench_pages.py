"""make bench-pages: server time of every public page and API list/detail, beside a baseline.

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_pages.py [--requests N]

Measures in-process with Django's test client (no network, no gunicorn), DEBUG off as deployed,
against whatever library the database holds (manage.py make_library makes one). Each round
requests the baseline (one study by primary key rendered through the base template: what any
page costs at the least) and then every page, so that both see the same machine; per page it
prints the queries of one request, p50 and p95 of the server time, the p50 of the process's CPU
time per request (less sensitive to other load on the machine), the response's size and its
p95 as a multiple of the baseline's, as a Markdown table. Figures go to docs/benchmarks.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-pages-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("REQUEST_LOG", "false")
os.environ.setdefault("API_THROTTLE_ANON", "1000000/minute")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from claims.models import Article, Assessment, Claim, Finding, Statement  # noqa: E402
from config.memory import settle_startup_objects  # noqa: E402
from evidence.models import Appraisal, Study  # noqa: E402

BASELINE = engines["django"].from_string(
    "{% extends 'base.html' %}{% block content %}<h1>{{ study.title }}</h1>{% endblock %}"
)


def baseline(request, pk):
    study = get_object_or_404(Study, pk=pk)
    return HttpResponse(BASELINE.render({"study": study}, request))


urlpatterns = [
    path("bench/baseline/<int:pk>/", baseline),
    path("", include("config.urls")),
]


def pages():
    """(label, address) of every page and API call users hit, on this library's records."""
    claim = (
        Claim.objects.published().annotate(n=Count("findings")).order_by("-n").first()
    )
    article = Article.objects.published().annotate(n=Count("statements")).order_by("-n").first()
    study = Study.objects.order_by("pk").first()
    deep_claims = max(1, Claim.objects.published().count() // 25)
    deep_studies = max(1, Study.objects.count() // 25)
    return [
        ("articles", "/"),
        ("article (most statements)", f"/articles/{article.slug}/"),
        ("claims", "/claims/"),
        ("claims ?verdict=supported", "/claims/?verdict=supported"),
        ("claims ?sort=verdict", "/claims/?sort=verdict"),
        ("claims ?sort=-certainty", "/claims/?sort=-certainty"),
        ("claims ?q=compound", "/claims/?q=compound"),
        # two words in 10,000 of 100,000 claims, which the planner takes for rarer (its keys)
        ("claims ?q=training regimen", "/claims/?q=training+regimen"),
        ("claim suggestions ?q=training regimen", "/claims/suggestions/?q=training+regimen"),
        ("claims last page", f"/claims/?page={deep_claims}"),
        ("claim (most findings)", f"/claims/{claim.slug}/"),
        ("claim's findings", f"/claims/{claim.slug}/findings/?direction=supports"),
        ("studies", "/studies/"),
        ("studies ?q=marker", "/studies/?q=marker"),
        ("studies ?design=rct&sort=-year", "/studies/?design=rct&sort=-year"),
        ("studies last page", f"/studies/?page={deep_studies}"),
        ("study", f"/studies/{study.pk}/"),
        ("api claims", "/api/claims/"),
        ("api claims ?sort=verdict", "/api/claims/?sort=verdict"),
        ("api claims last page", f"/api/claims/?page={deep_claims}"),
        ("api claim", f"/api/claims/{claim.slug}/"),
        (
            "api claim's findings",
            f"/api/findings/?claim={claim.slug}&status=approved&direction=supports",
        ),
        ("api studies", "/api/studies/"),
        ("api study", f"/api/studies/{study.pk}/"),
        ("api findings", "/api/findings/"),
        ("api articles", "/api/articles/"),
        ("api article (most statements)", f"/api/articles/{article.slug}/"),
    ]


def staff_pages():
    """(label, address) of the pages researchers and graders work in: the grading pages, the
    intake workbench and the admin's lists and forms, on the largest records."""
    claim = Claim.objects.annotate(n=Count("findings")).order_by("-n").first()
    article = Article.objects.annotate(n=Count("statements")).order_by("-n").first()
    study = Study.objects.order_by("pk").first()
    finding = Finding.objects.order_by("pk").first()
    statement = Statement.objects.filter(article=article).order_by("pk").first()
    sentence = _first_open_sentence(article)
    assessment = Assessment.objects.order_by("pk").first()
    appraisal = Appraisal.objects.order_by("pk").first()
    return [
        ("grading queue", "/grading/"),
        ("assess (most findings)", f"/grading/claims/{claim.slug}/assess/"),
        ("appraise", f"/grading/studies/{study.pk}/appraise/"),
        ("intake workbench (most statements)", f"/intake/{article.slug}/"),
        (
            "intake: a sentence's other claims (HTMX)",
            f"{HTMX}/intake/{article.slug}/unit/?start={sentence.start}&end={sentence.end}",
        ),
        ("admin index", "/admin/"),
        # a finding's study and claim boxes, as a researcher types a common word in them
        ("admin study box ?term=marker", f"{AUTOCOMPLETE}&field_name=study&term=marker"),
        ("admin claim box ?term=compound", f"{AUTOCOMPLETE}&field_name=claim&term=compound"),
        ("admin studies", "/admin/evidence/study/"),
        ("admin studies ?q=marker", "/admin/evidence/study/?q=marker"),
        ("admin study", f"/admin/evidence/study/{study.pk}/change/"),
        ("admin findings", "/admin/claims/finding/"),
        ("admin finding", f"/admin/claims/finding/{finding.pk}/change/"),
        ("admin findings ?q=marker", "/admin/claims/finding/?q=marker"),
        # a word of one study's title and one claim's text (their numbers): a rare word's keys
        ("admin findings ?q=1234 (rare)", "/admin/claims/finding/?q=1234"),
        # a word no synthetic record holds: what a typo costs
        ("admin findings ?q=prolactin (none)", "/admin/claims/finding/?q=prolactin"),
        ("admin claims", "/admin/claims/claim/"),
        ("admin claims ?q=compound", "/admin/claims/claim/?q=compound"),
        ("admin claim (most findings)", f"/admin/claims/claim/{claim.pk}/change/"),
        ("admin assessments", "/admin/claims/assessment/"),
        ("admin assessment", f"/admin/claims/assessment/{assessment.pk}/change/"),
        ("admin appraisals", "/admin/evidence/appraisal/"),
        ("admin appraisal", f"/admin/evidence/appraisal/{appraisal.pk}/change/"),
        ("admin articles", "/admin/claims/article/"),
        ("admin article (most statements)", f"/admin/claims/article/{article.pk}/change/"),
        ("admin statements", "/admin/claims/statement/"),
        ("admin statement", f"/admin/claims/statement/{statement.pk}/change/"),
        ("admin statement links", "/admin/claims/statementclaim/"),
        ("admin possible duplicates", "/admin/evidence/possibleduplicate/"),
        ("admin study imports", "/admin/evidence/studyimport/"),
    ]


def _first_open_sentence(article):
    """The article's first sentence the workbench would rank claims for."""
    from claims.intake import workbench

    units = workbench.units_of(article.body, workbench.article_statements(article))
    return next(unit for unit in units if unit.candidate)


def bench_grader():
    """The account the staff pages are requested as: a grader (made once, plainly named)."""
    user, _ = User.objects.get_or_create(
        username="bench-pages-grader", defaults={"is_staff": True, "email": ""}
    )
    user.groups.add(Group.objects.get(name="grader"))
    return user


# The admin's autocomplete of a finding's foreign keys (the study and claim boxes).
AUTOCOMPLETE = "/admin/autocomplete/?app_label=claims&model_name=finding"

# Addresses HTMX requests with a header of its own (a fragment, not a page), marked "htmx:".
HTMX = "htmx:"


def measure(client, url, times, cpu=None):
    headers = {"HX-Request": "true"} if url.startswith(HTMX) else {}
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url.removeprefix(HTMX), secure=True, headers=headers)
    times.append((time.perf_counter() - started) * 1000)
    if cpu is not None:
        cpu.append((time.process_time() - started_cpu) * 1000)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="Requests per page (30).")
    parser.add_argument(
        "--only", choices=["public", "staff"], help="Only the public pages, or only the staff's."
    )
    parser.add_argument(
        "--match",
        action="append",
        default=[],
        help="Only the pages whose label contains this text (repeat it for several).",
    )
    args = parser.parse_args()
    settle_startup_objects()  # as config/wsgi.py does before a server's first request
    reader, staff = Client(), Client()
    study = Study.objects.order_by("pk").first()
    if study is None:
        raise SystemExit("No studies: make a library first (manage.py make_library).")
    targets = [("baseline", f"/bench/baseline/{study.pk}/", reader)]
    if args.only != "staff":
        targets += [(label, url, reader) for label, url in pages()]
    if args.only != "public":
        staff.force_login(bench_grader())
        targets += [(label, url, staff) for label, url in staff_pages()]
    wanted = args.match or [""]
    targets = targets[:1] + [t for t in targets[1:] if any(m in t[0] for m in wanted)]
    times = {label: [] for label, _, _ in targets}
    cpu = {label: [] for label, _, _ in targets}
    sizes, queries = {}, {}
    with override_settings(ROOT_URLCONF=__name__):
        for label, url, client in targets:  # warm-up, and one request's queries and size
            with CaptureQueriesContext(connection) as captured:
                response = measure(client, url, [])
            queries[label], sizes[label] = len(captured), len(response.content)
        for _ in range(args.requests):
            for label, url, client in targets:
                measure(client, url, times[label], cpu[label])

    def p95(values):
        return statistics.quantiles(values, n=20)[-1]

    base = p95(times["baseline"])
    print(
        f"{Study.objects.count():,} studies, {Claim.objects.count():,} claims, "
        f"{args.requests} requests each, {connection.vendor}\n"
    )
    print("| page | queries | p50 ms | p95 ms | CPU p50 ms | size KB | p95 / baseline |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, url, _ in targets:
        values = times[label]
        print(
            f"| {label} (`{url}`) | {queries[label]} | {statistics.median(values):.1f} | "
            f"{p95(values):.1f} | {statistics.median(cpu[label]):.1f} | "
            f"{sizes[label] / 1024:.0f} | {p95(values) / base:.1f} |"
        )


if __name__ == "__main__":
    main()
