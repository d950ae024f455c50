"""A synthetic library at any scale, for benchmarks and load tests (`manage.py make_library`).

Every record says what it is: studies are titled "Synthetic study …", carry DOIs under the
10.5555/ test prefix (reserved for examples by Crossref) and no PMID; claims, findings, articles
and assessments are written by two synthetic users. Nothing here describes a real study or finding.

Rows go in by COPY on PostgreSQL and bulk_create on SQLite, with ids allocated here so that
related rows can point at them; records are not given history rows (they were never edited).
The generator is seeded, so the same arguments give the same library.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from claims import grading
from claims.models import (
    Article,
    Assessment,
    AssessmentStatus,
    Claim,
    Finding,
    FindingStatus,
    Statement,
    StatementClaim,
    Status,
)
from claims.roles import Role
from config.bulk import copy_rows, reset_sequence
from evidence import matching
from evidence.models import Appraisal, AppraisalTool, Design, DomainJudgement, Population, Study

DOI_PREFIX = "10.5555/"
TITLE_PREFIX = "Synthetic study"
# The one claim and the one article the page budgets single out.
BIG_CLAIM_FINDINGS = 500
BIG_ARTICLE_STATEMENTS = 200
BATCH = 5_000

INTERVENTIONS = [
    "compound A", "compound B", "compound C", "compound D", "compound E", "compound F",
    "exercise programme X", "diet plan Y", "supplement Z", "training regimen Q",
]  # fmt: skip
OUTCOMES = [
    "marker one", "marker two", "marker three", "score alpha", "score beta", "index gamma",
    "level delta", "response epsilon", "rate zeta", "measure eta",
]  # fmt: skip
FILLER = (
    "This record was generated for benchmarks and describes no real study. "
    "Its numbers, design and population are drawn at random."
)


class RealStudiesPresent(Exception):
    """The database holds studies that are not synthetic: a real library is not padded silently."""


@dataclass(frozen=True)
class Size:
    studies: int
    claims: int
    findings: int
    articles: int = 1
    statements: int = BIG_ARTICLE_STATEMENTS


@dataclass
class Made:
    studies: int = 0
    claims: int = 0
    findings: int = 0
    assessments: int = 0
    appraisals: int = 0
    articles: int = 0
    statements: int = 0
    links: int = 0


def _values(enum):
    return [member.value for member in enum]


def real_study_count():
    return Study.objects.exclude(doi__startswith=DOI_PREFIX).count()


def library_make(*, size: Size, seed: int = 1, force: bool = False, progress=None) -> Made:
    """Add a synthetic library of `size` to the database. Refuses (RealStudiesPresent) when it
    holds real studies, unless `force`. `progress(label, done, total)` is told as rows go in."""
    if size.claims < 1 or size.studies < BIG_CLAIM_FINDINGS:
        raise ValueError(f"A library needs a claim and at least {BIG_CLAIM_FINDINGS} studies.")
    if size.findings > size.claims * size.studies:
        raise ValueError("More findings than (study, claim) pairs.")
    if not force and (real := real_study_count()):
        raise RealStudiesPresent(
            f"The database holds {real} studies that are not synthetic (DOI not under "
            f"{DOI_PREFIX}); pass --force to add a synthetic library beside them."
        )
    rng = random.Random(seed)
    report = progress or (lambda label, done, total: None)
    made = Made()
    with transaction.atomic():
        grader, researcher = _synthetic_users()
        now = timezone.now()
        study_ids = _insert(
            Study, size.studies, lambda i, pk: _study(rng, i, pk, now), report, "studies"
        )
        claim_ids = _insert(
            Claim, size.claims, lambda i, pk: _claim(rng, i, pk, now), report, "claims"
        )
        made.studies, made.claims = len(study_ids), len(claim_ids)
        made.findings = _insert_findings(rng, size, study_ids, claim_ids, researcher, grader, now, report)
        made.assessments = _insert_assessments(rng, claim_ids, grader, now, report)
        Claim.objects.filter(pk__gte=claim_ids[0], pk__lte=claim_ids[-1]).store_grades()
        made.appraisals = _insert_appraisals(rng, study_ids, grader, now, report)
        made.articles, made.statements, made.links = _insert_articles(
            rng, size, claim_ids, grader, now, report
        )
    if connection.vendor == "postgresql":
        # Statistics for the planner now, not when autovacuum comes round: without them it
        # guesses a few hundred rows per table and the pages' plans read far too much (the
        # claims list took 4.5 s at 100,000 claims, 6 ms once analysed). And the visibility
        # map a library in service has (autovacuum's): without it a count reads the table's
        # pages, not only an index (studies of one design, counted to the cap at 1,000,000
        # studies: 40 ms). VACUUM cannot run in a transaction (a test's): ANALYZE there.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return made


# --- rows ---------------------------------------------------------------------------------


def _study(rng, i, pk, now):
    intervention, outcome = rng.choice(INTERVENTIONS), rng.choice(OUTCOMES)
    design = rng.choice(Design.values)
    population = {
        Design.ANIMAL: Population.ANIMAL,
        Design.IN_VITRO: Population.IN_VITRO,
    }.get(design, Population.HUMAN)
    title = f"{TITLE_PREFIX} {pk}: {intervention} and {outcome} (generated record)"
    authors = [f"Synthetic Author{pk % 997} A", "Generated Coauthor B"]
    return {
        "id": pk,
        "title": title,
        "authors": authors,
        "journal": f"Synthetic Journal {pk % 50}",
        "year": rng.randint(1980, 2026),
        "doi": f"{DOI_PREFIX}library.{pk}",
        "abstract": f"{intervention.capitalize()} and {outcome}. {FILLER}",
        "design": design,
        "population": population,
        "participants": rng.randint(10, 5000) if population == Population.HUMAN else None,
        "title_key": matching.title_key(title),
        "author_key": matching.author_key(authors),
        "created_at": now,
        "updated_at": now,
    }


def _claim(rng, i, pk, now):
    intervention, outcome = rng.choice(INTERVENTIONS), rng.choice(OUTCOMES)
    return {
        "id": pk,
        "slug": f"synthetic-claim-{pk}",
        "text": f"Synthetic claim {pk}: {intervention} changes {outcome}",
        "kind": rng.choice(_values(grading.Kind)),
        "subject": intervention,
        "outcome": outcome,
        # Nine in ten published, the rest drafts readers do not see.
        "status": Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT,
        "created_at": now,
        "updated_at": now,
    }


def _insert_findings(rng, size, study_ids, claim_ids, researcher, grader, now, report):
    """The first claim gets BIG_CLAIM_FINDINGS; the rest are spread evenly over the others,
    each claim's studies distinct (one finding per study and claim)."""
    first = min(size.findings, BIG_CLAIM_FINDINGS)
    others = claim_ids[1:]
    per_claim = []
    if others:
        share, extra = divmod(size.findings - first, len(others))
        per_claim = [share + (1 if n < extra else 0) for n in range(len(others))]
    plan = [(claim_ids[0], first)] + list(zip(others, per_claim, strict=True))
    directions = _values(grading.Direction)

    def rows():
        for claim_id, count in plan:
            for study_id in rng.sample(study_ids, count):
                status = FindingStatus.APPROVED if rng.random() < 0.9 else FindingStatus.SUBMITTED
                yield {
                    "study_id": study_id,
                    "claim_id": claim_id,
                    "direction": rng.choice(directions),
                    "note": "Synthetic finding: generated, not read from any study.",
                    "status": status,
                    "created_by_id": researcher.pk,
                    "reviewed_by_id": grader.pk if status == FindingStatus.APPROVED else None,
                    "reviewed_at": now if status == FindingStatus.APPROVED else None,
                    "created_at": now,
                    "updated_at": now,
                }

    return len(_insert_rows(Finding, rows(), size.findings, report, "findings"))


def _insert_assessments(rng, claim_ids, grader, now, report):
    """A published grade for four claims in five, a provisional one for half the rest."""
    verdicts = _values(grading.Verdict)
    certainties = [c.value for c in grading.CERTAINTY_LADDER]
    bodies = [b for b in _values(grading.Body) if b != grading.Body.NONE]

    def rows():
        for claim_id in claim_ids:
            draw = rng.random()
            if draw >= 0.9:
                continue
            published = draw < 0.8
            verdict = rng.choice(verdicts)
            yield {
                "claim_id": claim_id,
                "status": AssessmentStatus.PUBLISHED if published else AssessmentStatus.PROVISIONAL,
                "author_id": grader.pk if published else None,
                "verdict": verdict,
                "certainty": "" if verdict == grading.Verdict.INSUFFICIENT else rng.choice(certainties),
                "body": grading.Body.NONE
                if verdict == grading.Verdict.INSUFFICIENT
                else rng.choice(bodies),
                "summary": "Synthetic grade: drawn at random for a benchmark.",
                "published_at": now if published else None,
                "submitted_at": now if published else None,
                "created_at": now,
                "updated_at": now,
            }

    return len(_insert_rows(Assessment, rows(), len(claim_ids), report, "assessments"))


def _insert_appraisals(rng, study_ids, grader, now, report):
    """A complete appraisal, with the tool for its design, of one study in ten."""
    tools = {
        design: next(iter(AppraisalTool.objects.for_design(design)), None)
        for design in Design.values
    }
    designs = dict(Study.objects.filter(pk__in=study_ids[::10]).values_list("pk", "design"))
    chosen = [(pk, tools[design]) for pk, design in designs.items() if tools[design]]

    appraisal_ids = _insert_rows(
        Appraisal,
        (
            {
                "study_id": pk,
                "tool_id": tool.pk,
                "appraiser_id": grader.pk,
                "created_at": now,
                "updated_at": now,
            }
            for pk, tool in chosen
        ),
        len(chosen),
        report,
        "appraisals",
    )

    def judgements():
        for appraisal_id, (_, tool) in zip(appraisal_ids, chosen, strict=True):
            options = list(tool.judgements.all())
            for domain in tool.domains.all():
                yield {
                    "appraisal_id": appraisal_id,
                    "domain_id": domain.pk,
                    "judgement_id": rng.choice(options).pk,
                    "support": "Synthetic judgement, drawn at random.",
                }

    _insert_rows(DomainJudgement, judgements(), None, report, "domain judgements")
    return len(appraisal_ids)


def _insert_articles(rng, size, claim_ids, grader, now, report):
    """Articles of synthetic sentences, each sentence a published statement linked to a claim;
    the first article holds BIG_ARTICLE_STATEMENTS of them (or all, if fewer are asked for)."""
    if not size.articles:
        return 0, 0, 0
    first = min(size.statements, BIG_ARTICLE_STATEMENTS)
    rest = size.statements - first
    counts = [first] + [
        rest // (size.articles - 1) + (1 if n < rest % (size.articles - 1) else 0)
        for n in range(size.articles - 1)
    ] if size.articles > 1 else [size.statements]
    base = _next_id(Article)
    articles, statements, links = [], [], []
    next_statement = _next_id(Statement)
    assertions = _values(grading.Assertion)
    for n, count in enumerate(counts):
        pk = base + n
        body, spans = _article_body(rng, count)
        articles.append(
            {
                "id": pk,
                "slug": f"synthetic-article-{pk}",
                "title": f"Synthetic article {pk} ({count} statements, generated)",
                "publisher": "Synthetic Publisher",
                "body": body,
                "status": Status.PUBLISHED,
                "created_at": now,
                "updated_at": now,
            }
        )
        for start, end in spans:
            statements.append(
                {
                    "id": next_statement,
                    "article_id": pk,
                    "start": start,
                    "end": end,
                    "text": body[start:end],
                    "status": Status.PUBLISHED,
                    "created_by_id": grader.pk,
                    "created_at": now,
                }
            )
            links.append(
                {
                    "statement_id": next_statement,
                    "claim_id": rng.choice(claim_ids),
                    "assertion": rng.choice(assertions),
                    "status": Status.PUBLISHED,
                    "created_by_id": grader.pk,
                    "created_at": now,
                }
            )
            next_statement += 1
    _insert_rows(Article, articles, len(articles), report, "articles")
    _insert_rows(Statement, statements, len(statements), report, "statements")
    _insert_rows(StatementClaim, links, len(links), report, "statement links")
    return len(articles), len(statements), len(links)


def _article_body(rng, count):
    """Paragraphs of five sentences; returns the body and each sentence's (start, end)."""
    parts, spans, offset = [], [], 0
    for n in range(count):
        if n and n % 5 == 0:
            parts.append("\n\n")
            offset += 2
        elif n:
            parts.append(" ")
            offset += 1
        sentence = (
            f"Synthetic sentence {n + 1} says that {rng.choice(INTERVENTIONS)} "
            f"changes {rng.choice(OUTCOMES)}."
        )
        parts.append(sentence)
        spans.append((offset, offset + len(sentence)))
        offset += len(sentence)
    return "".join(parts), spans


def _synthetic_users():
    User = get_user_model()
    users = []
    for name, role in (("synthetic-grader", Role.GRADER), ("synthetic-researcher", Role.RESEARCHER)):
        user, created = User.objects.get_or_create(
            username=name, defaults={"first_name": "Synthetic", "last_name": str(role).title()}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
        users.append(user)
    return users


# --- writing ------------------------------------------------------------------------------


def _next_id(model):
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _insert(model, count, make: Callable[[int, int], dict], report, label):
    base = _next_id(model)
    rows = (make(i, base + i) for i in range(count))
    return _insert_rows(model, rows, count, report, label)


def _insert_rows(model, rows: Iterable[dict], total, report, label) -> list[int]:
    """Insert rows (dicts keyed by field attname) in batches; fields left out take their
    default. Gives ids to rows without one. Returns the ids in order."""
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    next_pk = _next_id(model)
    ids, done = [], 0
    iterator: Iterator[dict] = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        for row in batch:
            if "id" not in row:
                row["id"] = next_pk
            next_pk = max(next_pk, row["id"] + 1)
            ids.append(row["id"])
        if connection.vendor == "postgresql":
            copy_rows(model, batch, fields)
        else:
            model.objects.bulk_create([model(**row) for row in batch], batch_size=BATCH)
        done += len(batch)
        report(label, done, total)
    if connection.vendor == "postgresql" and ids:
        reset_sequence(model)
    return ids
