"""The intake workbench: bring in an article, then go through it sentence by sentence,
accepting, changing or turning down the claims the model suggests. Every action saves at once
(HTMX swaps the one sentence it changed; without JavaScript the form posts and the page comes
back at that sentence)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from claims.intake import extract, matching, services, workbench
from claims.models import ASSERTION_CHOICES, KIND_CHOICES, Article, Claim, StatementClaim

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # an article, not a library


def researchers_only(view):
    """Researchers and graders (who may add statements); others are refused."""
    return staff_member_required(
        permission_required("claims.add_statement", raise_exception=True)(view)
    )


class ArticleIntakeForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, help_text="Found in an HTML page.")
    url = forms.URLField(max_length=500, required=False, label="Address (URL)")
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False, label="Published on", widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        choices=[
            ("", "Tell from the file or text"),
            (extract.TEXT, "Plain text"),
            (extract.MARKDOWN, "Markdown"),
            (extract.HTML, "HTML"),
        ],
        required=False,
        help_text="Plain text is kept exactly; Markdown and HTML are reduced to their text, "
        "headings and list items kept.",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        strip=False,
        label="Paste the article",
    )
    file = forms.FileField(required=False, label="or upload it (.txt, .md, .html)")

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise ValidationError("Paste the article or upload it, not both.")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise ValidationError(f"The file is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError("The file is not UTF-8 text.") from None
        if not text.strip():
            raise ValidationError("Paste the article's text or upload its file.")
        fmt = cleaned.get("format") or extract.guess_format(upload.name if upload else "", text)
        try:
            extracted = extract.to_body(text, fmt)
        except extract.NoTextFound:
            raise ValidationError(f"No article text could be found in it (read as {fmt}).") from None
        cleaned["extracted"] = extracted
        cleaned["title"] = cleaned.get("title") or extracted.title or ""
        if not cleaned["title"]:
            self.add_error("title", "Give the article's title (none was found in the text).")
        return cleaned


@researchers_only
def start(request):
    form = ArticleIntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, extracted = form.cleaned_data, form.cleaned_data["extracted"]
        article = services.article_intake(
            title=data["title"],
            body=extracted.body,
            url=data["url"] or extracted.url or "",
            publisher=data["publisher"] or extracted.publisher or "",
            published_on=data["published_on"] or extracted.published_on,
            by=request.user,
        )
        messages.success(request, f"“{article.title}” is in, as a draft. Go through its sentences.")
        return redirect("intake:workbench", article.slug)
    articles = Article.objects.order_by("-created_at")[:20]
    return render(
        request, "claims/intake/start.html", {"form": form, "articles": articles, "title": "Intake"}
    )


ACTIONS = ["accept", "reject", "not_a_statement", "unlink", "merge", "split", "new_claim"]


def _action_urls(article):
    """The address of every action on a unit, and of a unit with its other claims, reversed
    once for the page, not per form."""
    return {name: reverse(f"intake:{name}", args=[article.slug]) for name in [*ACTIONS, "unit"]}


def _unit_response(request, article, span, message=None, error=None, more=False):
    """After an action on one unit: that unit again (HTMX), or the page at that unit; with
    `more`, the unit with its other claims shown."""
    if request.headers.get("HX-Request"):
        reading = workbench.read(article, only=span, more=span[0] if more else None)
        unit = reading.units[0] if reading.units else None
        if unit is None and not (message or error):
            error = "This sentence is no longer in the article: its text changed since."
        context = {
            "article": article,
            "urls": _action_urls(article),
            "unit": unit,
            "progress": reading.progress,
            "message": message,
            "error": error,
            "assertions": ASSERTION_CHOICES,
        }
        return render(request, "claims/intake/_unit_swap.html", context)
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    units = workbench.units_of(article.body, workbench.article_statements(article))
    page = workbench.page_of(units, span[0])
    shown = f"&more={span[0]}" if more else ""
    return redirect(
        reverse("intake:workbench", args=[article.slug]) + f"?page={page}{shown}#u{span[0]}"
    )


def _count(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _article(slug):
    return get_object_or_404(Article, slug=slug)


def _span(request):
    try:
        start, end = int(request.POST["start"]), int(request.POST["end"])
    except (KeyError, ValueError):
        raise ValidationError("The sentence's offsets are missing.") from None
    return start, end


@researchers_only
def workbench_page(request, slug):
    article = _article(slug)
    reading = workbench.read(
        article,
        page=_number(request.GET.get("page")) or 1,
        more=_number(request.GET.get("more")),
    )
    context = {
        "article": article,
        "urls": _action_urls(article),
        "reading": reading,
        "assertions": ASSERTION_CHOICES,
        "kinds": KIND_CHOICES,
        "title": f"Intake: {article.title}",
    }
    return render(request, "claims/intake/workbench.html", context)


@researchers_only
@vary_on_headers("HX-Request")  # a fragment or a page at one address
def unit(request, slug):
    """A unit with its other claims, ranked (its "Other claims" link): the unit (HTMX), or
    the page at the unit with them shown."""
    article = _article(slug)
    try:
        span = int(request.GET["start"]), int(request.GET["end"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("The sentence's offsets are missing.")
    return _unit_response(request, article, span, more=True)


def _number(value):
    """A whole number of the query string, or None (missing, or not a number: "²", "x")."""
    try:
        return int(value) if value and value.isascii() else None
    except ValueError:
        return None


def _action(handler):
    """A workbench action on one span: POST only, its errors said in the unit."""

    @researchers_only
    @require_POST
    def view(request, slug):
        article = _article(slug)
        try:
            span = _span(request)
            message, span = handler(request, article, span)
        except (ValidationError, PermissionDenied) as error:
            text = "; ".join(getattr(error, "messages", None) or [str(error)])
            return _unit_response(request, article, _span_or_zero(request), error=text)
        # An action taken with the other claims open leaves them open.
        more = request.POST.get("more") == "1"
        return _unit_response(request, article, span, message=message, more=more)

    return view


def _span_or_zero(request):
    try:
        return _span(request)
    except ValidationError:
        return (0, 0)


def _claim(request):
    claim = Claim.objects.filter(pk=request.POST.get("claim")).first()
    if claim is None:
        raise ValidationError("Choose a claim.")
    return claim


def _assertion(request, claim=None):
    """How strongly: the strength chosen beside the claim's suggestion (assertion-<claim>: a
    unit's suggestions share one form), else the form's one `assertion`."""
    value = request.POST.get(f"assertion-{claim.pk}" if claim else "", "")
    value = value or request.POST.get("assertion", "")
    if value not in dict(ASSERTION_CHOICES):
        raise ValidationError("Choose how strongly the sentence asserts the claim.")
    return value


@_action
def accept(request, article, span):
    claim = _claim(request)
    assertion = _assertion(request, claim)
    services.link_propose(
        article=article, start=span[0], end=span[1], claim=claim, assertion=assertion,
        by=request.user,
    )  # fmt: skip
    return f"Linked to “{claim.text}” (a proposal until a grader accepts it).", span


@_action
def reject(request, article, span):
    claim = _claim(request)
    services.suggestion_dismiss(
        article=article, text=article.body[span[0] : span[1]], claim=claim, by=request.user
    )
    return f"“{claim.text}” turned down for this sentence.", span


@_action
def not_a_statement(request, article, span):
    services.suggestion_dismiss(article=article, text=article.body[span[0] : span[1]], by=request.user)
    return "Marked as not a statement.", span


@_action
def unlink(request, article, span):
    link = get_object_or_404(
        StatementClaim, pk=request.POST.get("link"), statement__article=article
    )
    services.link_withdraw(link=link, by=request.user)
    return "Link withdrawn.", span


@_action
def merge_next(request, article, span):
    reading = workbench.units_of(article.body, workbench.article_statements(article))
    following = [u for u in reading if u.start >= span[1]]
    if not following or "\n" in article.body[span[0] : following[0].end]:
        raise ValidationError("There is no next sentence on the same line to merge with.")
    statement = services.statement_resize(
        article=article, start=span[0], end=span[1], new_start=span[0],
        new_end=following[0].end, by=request.user,
    )  # fmt: skip
    return "Merged with the next sentence into one statement.", (statement.start, statement.end)


@_action
def split(request, article, span):
    """Split after the words given: the first part keeps the statement's links."""
    ending = request.POST.get("first_part_ends_with", "").strip()
    text = article.body[span[0] : span[1]]
    cut = text.find(ending) if ending else -1
    if cut == -1 or cut + len(ending) >= len(text):
        raise ValidationError("Give the last words of the first part, as they are in the sentence.")
    first_end = span[0] + cut + len(ending)
    statement = services.statement_resize(
        article=article, start=span[0], end=span[1], new_start=span[0], new_end=first_end,
        by=request.user,
    )  # fmt: skip
    return "Split: the first part keeps the links; the rest is a sentence of its own.", (
        statement.start,
        statement.end,
    )


@_action
def new_claim(request, article, span):
    text = request.POST.get("text", "").strip()
    kind = request.POST.get("kind", "")
    assertion = _assertion(request)
    if not text:
        raise ValidationError("Write the claim as a testable proposition.")
    if kind not in dict(KIND_CHOICES):
        raise ValidationError("Say whether it is an effect in people or a mechanism.")
    if not request.POST.get("confirm_new"):
        known = {pk: c.text for pk, c in workbench.candidate_claims([text])[0].items()}
        near = matching.near_duplicates(
            text, [matching.ClaimText(pk, known_text) for pk, known_text in known.items()]
        )
        if near:
            names = "; ".join(f"“{known[m.claim_id]}” ({m.score:.2f})" for m in near)
            raise ValidationError(
                f"Nearly the same claim exists: {names}. Link that one, or tick “create it "
                f"anyway”."
            )
    claim = services.claim_propose(text=text, kind=kind, by=request.user)
    services.link_propose(
        article=article, start=span[0], end=span[1], claim=claim, assertion=assertion,
        by=request.user,
    )  # fmt: skip
    return f"New claim “{claim.text}” proposed and linked.", span


@researchers_only
def rebody(request, slug):
    """Paste a new version of the article: its statements are re-anchored by their text."""
    article = _article(slug)
    if request.method == "POST":
        body = request.POST.get("body", "").replace("\r\n", "\n")
        if not body.strip():
            messages.error(request, "Paste the new text of the article.")
        else:
            try:
                unplaced = services.article_rebody(article=article, body=body, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
            else:
                if unplaced:
                    quoted = "; ".join(f"“{s.text}”" for s in unplaced)
                    messages.warning(
                        request,
                        f"{_count(len(unplaced), 'statement')} could not be placed in the new "
                        f"text and {'was' if len(unplaced) == 1 else 'were'} removed with "
                        f"{'its' if len(unplaced) == 1 else 'their'} links: {quoted}",
                    )
                messages.success(request, "The new text is in; every other statement moved with it.")
                return redirect("intake:workbench", article.slug)
    return render(
        request,
        "claims/intake/rebody.html",
        {"article": article, "title": f"New text for {article.title}"},
    )


@researchers_only
@require_POST
def publish(request, slug):
    """A grader accepts every proposed statement of the article with its links."""
    article = _article(slug)
    try:
        count = services.article_proposals_publish(article=article, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        links = "its links" if count == 1 else "their links"
        messages.success(request, f"{_count(count, 'statement')} published with {links}.")
    return redirect("intake:workbench", article.slug)
