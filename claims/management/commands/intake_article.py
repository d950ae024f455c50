"""The intake workbench for scripts and tests: read an article file, split it into sentences and
suggest, for each, the known claims it may assert and how strongly.

    python manage.py intake_article FILE --title "..." [--url URL] [--publisher NAME]
        [--date YYYY-MM-DD] [--input-format text|markdown|html] [--dry-run] [--format text|json]
        [--propose --user USERNAME]

Without --dry-run the article is stored as a draft; with --propose, each sentence's best
suggestion above the threshold is also proposed as a statement and link (drafts, by --user, for
a grader to accept). With --dry-run nothing is written."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.intake import extract, services, workbench
from claims.models import Claim


class Command(BaseCommand):
    help = "Split an article into sentences and suggest the claims each one may assert."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", help="The article's title (else the one found in HTML).")
        parser.add_argument("--url", default="")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--input-format", choices=extract.FORMATS)
        parser.add_argument("--dry-run", action="store_true", help="Write nothing.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--propose",
            action="store_true",
            help="Also propose each sentence's best suggestion above the threshold.",
        )
        parser.add_argument("--user", help="Who proposes (a researcher or grader).")

    def handle(self, *args, **options):
        try:
            content = options["file"].read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{options['file']}: cannot be read as UTF-8 text ({error})") from None
        fmt = options["input_format"] or extract.guess_format(options["file"].name, content)
        try:
            extracted = extract.to_body(content, fmt)
        except extract.NoTextFound:
            raise CommandError(f"{options['file']}: no article text found (read as {fmt}).") from None
        title = options["title"] or extracted.title
        if not title:
            raise CommandError("Give the article's title with --title.")
        user = self._user(options) if options["propose"] or not options["dry_run"] else None

        claims = {c.pk: c for c in Claim.objects.only("pk", "slug", "text")}
        sentences, ranking = workbench.suggest_for_body(extracted.body, claims)
        report = {
            "article": {
                "title": title,
                "url": options["url"] or extracted.url or "",
                "publisher": options["publisher"] or extracted.publisher or "",
                "published_on": str(options["date"] or extracted.published_on or "") or None,
                "format": fmt,
                "characters": len(extracted.body),
            },
            "method": ranking.method,
            "method_label": ranking.label,
            "fallback_reason": ranking.fallback_reason,
            "sentences": [s.as_dict() for s in sentences],
            "written": None,
        }
        if not options["dry_run"]:
            report["written"] = self._write(extracted, report, sentences, claims, user, options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            self._print(report)

    def _user(self, options):
        if not options["user"]:
            raise CommandError("Say who brings it in with --user USERNAME (or use --dry-run).")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['user']!r}.")
        return user

    @transaction.atomic
    def _write(self, extracted, report, sentences, claims, user, options):
        meta = report["article"]
        try:
            article = services.article_intake(
                title=meta["title"],
                body=extracted.body,
                url=meta["url"],
                publisher=meta["publisher"],
                published_on=options["date"] or extracted.published_on,
                by=user,
            )
            proposed = 0
            if options["propose"]:
                for sentence in sentences:
                    best = sentence.best
                    if best is None:
                        continue
                    services.link_propose(
                        article=article,
                        start=sentence.start,
                        end=sentence.end,
                        claim=claims[best.claim_id],
                        assertion=sentence.assertion.assertion,
                        by=user,
                    )
                    proposed += 1
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from None
        return {"article": article.slug, "proposed_links": proposed}

    def _print(self, report):
        write = self.stdout.write
        if report["fallback_reason"]:
            write(f"Matching with {report['method_label']}: {report['fallback_reason']}")
        for sentence in report["sentences"]:
            mark = "" if sentence["candidate"] else f"  [not a statement: {sentence['why_not']}]"
            write(f"{sentence['start']}-{sentence['end']}: {sentence['text']}{mark}")
            if sentence["candidate"]:
                write(f"    assertion: {sentence['assertion']} {sentence['cues'] or ''}")
            for s in sentence["suggestions"]:
                weak = "" if s["above_threshold"] else " (weak)"
                write(f"    {s['score']:.3f} {s['slug']}: {s['text']}{weak}")
        if report["written"]:
            written = report["written"]
            write(
                f"Stored as a draft: {written['article']}; "
                f"{written['proposed_links']} links proposed."
            )
