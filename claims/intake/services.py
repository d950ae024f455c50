"""The intake workbench's writes. Everything a researcher does here is a proposal: articles,
statements, links and claims are created as drafts that a grader publishes (DESIGN.md, roles).
Each function is one transaction and validates every record it writes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.text import slugify

from claims.intake.models import Dismissal
from claims.models import Article, Claim, Statement, StatementClaim, Status
from claims.services import (
    require_permission,
    statement_create,
    statement_links_publish,
    statements_publish,
)

SLUG_LENGTH = 100  # leaves room for a "-2" suffix within the field's 120


def _unique_slug(model, text):
    base = slugify(text)[:SLUG_LENGTH].strip("-") or "untitled"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def article_intake(*, title, body, by, url="", publisher="", published_on=None):
    """A new article to assess, as a draft: its body is stored exactly as given."""
    require_permission(by, "claims.add_statement", "bring in articles")
    article = Article(
        slug=_unique_slug(Article, title),
        title=title,
        body=body,
        url=url,
        publisher=publisher,
        published_on=published_on,
        status=Status.DRAFT,
    )
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def claim_propose(*, text, kind, by, subject="", outcome=""):
    """A new claim made from a sentence: a draft until a grader publishes it."""
    require_permission(by, "claims.add_claim", "propose claims")
    claim = Claim(
        slug=_unique_slug(Claim, text.rstrip(".")),
        text=text,
        kind=kind,
        subject=subject,
        outcome=outcome,
        status=Status.DRAFT,
    )
    claim.full_clean()
    claim.save_version()
    return claim


def _statement_at(article, start, end, by):
    """The statement over exactly this span: the stored one, or a new draft."""
    statement = Statement.objects.filter(article=article, start=start, end=end).first()
    if statement is None:
        statement = statement_create(article=article, start=start, end=end, by=by)
    return statement


@transaction.atomic
def link_propose(*, article, start, end, claim, assertion, by):
    """That the span asserts the claim this strongly: the statement is made if it is not there,
    and the link is added, or its assertion changed while it is still a draft."""
    require_permission(by, "claims.add_statementclaim", "link statements to claims")
    statement = _statement_at(article, start, end, by)
    link = StatementClaim.objects.filter(statement=statement, claim=claim).first()
    if link is None:
        link = StatementClaim(statement=statement, claim=claim, created_by=by)
    elif link.status == Status.PUBLISHED and not by.has_perm("claims.publish_assessment"):
        raise PermissionDenied("This link is published: only a grader changes it.")
    link.assertion = assertion
    link.full_clean()
    link.save()
    Dismissal.objects.filter(article=article, text=statement.text, claim=claim).delete()
    return link


@transaction.atomic
def link_withdraw(*, link, by):
    """Take back a proposed link; a statement left without links goes with it."""
    require_permission(by, "claims.delete_statementclaim", "withdraw links")
    if link.status == Status.PUBLISHED and not by.has_perm("claims.publish_assessment"):
        raise PermissionDenied("This link is published: only a grader removes it.")
    statement = link.statement
    link.delete()
    if statement.status == Status.DRAFT and not statement.links.exists():
        statement.delete()


@transaction.atomic
def suggestion_dismiss(*, article, text, by, claim=None):
    """The span does not assert `claim` (or, without a claim, is not a statement at all)."""
    require_permission(by, "claims.add_statementclaim", "review suggestions")
    Dismissal.objects.get_or_create(
        article=article, text=text, claim=claim, defaults={"created_by": by}
    )


@transaction.atomic
def statement_resize(*, article, start, end, new_start, new_end, by):
    """Merge sentences into one statement, or split one: the span start-end becomes
    new_start-new_end. A draft statement over the old span moves with its links; any other draft
    statement the new span covers is merged into it (its links carried over)."""
    require_permission(by, "claims.change_statement", "change statements")
    if not (0 <= new_start < new_end <= len(article.body)):
        raise ValidationError("The new span lies outside the article.")
    if "\n" in article.body[new_start:new_end]:
        raise ValidationError("A statement is one sentence: it cannot span a line break.")
    covered = list(
        Statement.objects.filter(article=article)
        .filter(Q(start__lt=new_end, end__gt=new_start) | Q(start=start, end=end))
        .order_by("start")
    )
    if any(s.status == Status.PUBLISHED for s in covered):
        raise ValidationError(
            "A published statement lies in this span: a grader changes published statements."
        )
    keep, others = (covered[0], covered[1:]) if covered else (None, [])
    for other in others:
        for link in other.links.all():
            if keep.links.filter(claim=link.claim_id).exists():
                continue
            link.statement = keep
            link.save()
        other.delete()
    if keep is None:
        return statement_create(article=article, start=new_start, end=new_end, by=by)
    keep.start, keep.end, keep.text = new_start, new_end, article.body[new_start:new_end]
    keep.full_clean()
    keep.save()
    return keep


@transaction.atomic
def article_rebody(*, article, body, by):
    """A new version of the article's text (a published article's: graders only, as readers
    would see it at once). Each statement is re-anchored by its text: where the text occurs
    once, or nearest its old place, it moves there; a statement whose text is gone cannot be
    placed and is removed with its links (their history keeps them). Returns the statements
    that could not be placed."""
    require_permission(by, "claims.add_statement", "change articles")
    grader = by.has_perm("claims.publish_assessment")
    if article.status == Status.PUBLISHED and not grader:
        # Readers would see the new text at once: a change to anything published is a grader's.
        raise PermissionDenied("The article is published: a grader changes its text.")
    statements = list(article.statements.order_by("start"))
    if any(s.status == Status.PUBLISHED for s in statements) and not grader:
        raise PermissionDenied("The article has published statements: a grader re-anchors them.")
    placed, unplaced = [], []
    for statement in statements:
        start = _anchor(body, statement.text, statement.start, after=placed[-1][1] if placed else 0)
        if start is None:
            unplaced.append(statement)
        else:
            placed.append((start, start + len(statement.text), statement))
    for statement in unplaced:
        statement.delete()
    # Move the others out of the way first, beyond both bodies: (article, start) is unique.
    shift = len(article.body) + len(body) + 1
    article.statements.update(start=F("start") + shift, end=F("end") + shift)
    article.body = body
    article.full_clean()
    article.save()
    for start, end, statement in placed:
        statement.start, statement.end = start, end
        statement.save()
    return unplaced


def _anchor(body, text, old_start, after):
    """Where `text` is in the new body, at or after `after`: the occurrence nearest its old
    place; None when it no longer occurs."""
    found, position = [], body.find(text, after)
    while position != -1:
        found.append(position)
        position = body.find(text, position + 1)
    return min(found, key=lambda p: abs(p - old_start), default=None)


def article_proposals_publish(*, article, by):
    """A grader accepts the article's proposed statements and links, and publishes the
    article if it is a draft. Returns how many statements were published."""
    with transaction.atomic():
        count = statements_publish(statements=article.statements.all(), by=by)
        statement_links_publish(links=StatementClaim.objects.filter(statement__article=article), by=by)
        if article.status == Status.DRAFT:
            article.status = Status.PUBLISHED
            article.save(update_fields=["status"])
    return count
