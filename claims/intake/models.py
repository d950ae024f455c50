"""What the intake workbench remembers beside the statements themselves: the suggestions a
person turned down, so that re-opening the article does not offer them again."""

from django.conf import settings
from django.db import models

from claims.models import Article, Claim


class Dismissal(models.Model):
    """A person's "no" in the workbench: this span does not assert this claim, or (claim empty)
    this span is not a statement at all. Kept by its text, so that it survives an edit of the
    body that moves the span."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dismissals")
    text = models.TextField(help_text="The sentence as it was when dismissed.")
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dismissals",
        help_text="Empty: the sentence is not a statement.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.text[:60]} — not {self.claim or 'a statement'}"
