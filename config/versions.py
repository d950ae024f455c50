"""Optimistic locking: a record two people (or two tabs) may edit at once carries a version,
counted up by every write of the admin, the grading pages, the services and the API. A writer
that says which version it read (the admin's and the grading pages' hidden `seen_version`, the
API's `If-Match`) is refused when a newer one is stored, with who changed it, when, and how the
stored record now differs from what they sent; nothing is written. A writer that does not say
(a script without If-Match, an admin action) writes over it, as before, and still counts up."""

import re

from django import forms
from django.db import models, transaction
from django.utils import timezone

from config.errors import Stale

VERSION_HELP = "Counted up by every write; a write against an older version is refused."
NOT_COMPARED = {"version", "created_at", "updated_at"}  # kept by the database, not by people


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)

    class Meta:
        abstract = True

    def save_version(self, *, seen=None, **save_kwargs):
        """Save the record as its next version: the one place versions are counted.

        `seen` is the version the writer read (0: they saw no record yet). The stored row's
        version is moved from `seen` to the next one by a conditional UPDATE, which holds the
        row until the transaction ends, so no other write can come between the check and the
        save; a newer version stored raises Stale and nothing is written. Without `seen` the
        version is counted up whatever it was."""
        if self._state.adding:
            if seen:  # the writer saw a record that is gone now
                raise Stale(
                    f"This {self._meta.verbose_name} was deleted since you opened it.", version=0
                )
            self.version = 1
            self.save(**save_kwargs)
            return self
        if save_kwargs.get("update_fields") is not None:
            save_kwargs["update_fields"] = {*save_kwargs["update_fields"], "version"}
        rows = type(self)._base_manager.filter(pk=self.pk)
        with transaction.atomic():
            if seen is None:
                if not rows.update(version=models.F("version") + 1):
                    raise stale(self, self.version)  # deleted meanwhile
                self.version = rows.values_list("version", flat=True).get()
            elif rows.filter(version=seen).update(version=seen + 1):
                self.version = seen + 1
            else:
                raise stale(self, seen)
            self.save(**save_kwargs)
        return self


def version_positive(model_name):
    """The check constraint of a Versioned model's Meta (an abstract model's constraints are
    not inherited by a child that declares its own Meta)."""
    return models.CheckConstraint(
        condition=models.Q(version__gte=1), name=f"{model_name}_version_positive"
    )


def current_version(record):
    """The version stored now (0 when the record is gone)."""
    stored = type(record)._base_manager.filter(pk=record.pk).values_list("version", flat=True)
    return stored.first() or 0


def _shown(field, value):
    if value in (None, "", []):
        return "(empty)"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    elif field.flatchoices:
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 200 else f"{text[:199]}…"


def differences(yours, stored, names=None):
    """(label, your value, the value stored now) for every field people edit in which the
    two differ; `names` limits them to those fields (a form's)."""
    rows = []
    for field in type(stored)._meta.concrete_fields:
        if not field.editable or field.primary_key or field.name in NOT_COMPARED:
            continue
        if names is not None and field.name not in names:
            continue
        mine = getattr(yours, field.name) if field.is_relation else getattr(yours, field.attname)
        now = getattr(stored, field.name) if field.is_relation else getattr(stored, field.attname)
        if mine != now:
            label = str(field.verbose_name)
            rows.append((label[:1].upper() + label[1:], _shown(field, mine), _shown(field, now)))
    return rows


def stale(record, seen, names=None):
    """The Stale error for a write of `record` (holding the writer's values) made against
    version `seen`: who changed it since (its history), when, and the differences."""
    model = type(record)
    stored = model._base_manager.filter(pk=record.pk).first()
    what = model._meta.verbose_name
    if stored is None:
        return Stale(f"This {what} was deleted since you opened it.", version=0)
    people, last = [], None
    if hasattr(model, "history"):
        since = stored.history.filter(version__gt=seen).select_related("history_user")
        for row in since.order_by("history_date"):
            name = _person(row.history_user)
            if name not in people:
                people.append(name)
            last = row.history_date
    who = " and ".join(people) if people else "someone else"
    when = timezone.localtime(last, timezone.UTC) if last else None
    message = f"This {what} was changed by {who} since you opened it" + (
        f", at {when:%Y-%m-%d %H:%M} UTC." if when else "."
    )
    rows = differences(record, stored, names)
    if rows:
        message += (
            " Yours, then what is stored now: "
            + "; ".join(f"{label}: “{mine}” / “{now}”" for label, mine, now in rows)
            + "."
        )
    return Stale(message, version=stored.version, differences=rows, who=who, when=when)


def _person(user):
    if user is None:
        return "a script or an import"
    return user.get_full_name() or user.get_username()


class SeenVersionField(forms.IntegerField):
    """The version a page was opened at, sent back with the form (0: no record yet). Optional:
    a form posted without it (a script) is not checked."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class VersionCheckedForm(forms.ModelForm):
    """A model form of a Versioned record that carries the version it was opened at (a hidden
    field) and, when a newer one is stored by the time it is posted, refuses with who changed
    it, when, and how the stored record differs from what was entered (refuse_stale). The save
    itself checks again, atomically (Versioned.save_version with `seen`)."""

    seen_version = SeenVersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.instance
        if record.pk is None:
            opened_at = 0
        elif hasattr(record, "_history"):
            # An old version shown to revert to (simple-history): the check is against the
            # version stored now, which the revert replaces.
            opened_at = current_version(record)
        else:
            opened_at = record.version
        self.fields["seen_version"].initial = opened_at

    def _post_clean(self):
        super()._post_clean()  # the instance now holds what was entered
        if self.instance.pk is not None:
            refuse_stale(self, self.instance, names=set(self.fields))

    def seen(self):
        """The version it was opened at, or None when it was posted without it."""
        return getattr(self, "cleaned_data", {}).get("seen_version")


def refuse_stale(form, record, names=None, field="seen_version"):
    """The pages' check before a save: when `form` was opened at an older version of `record`
    than the one stored, show why on the form (show_stale) and return the Stale error."""
    seen = form.cleaned_data.get(field) if hasattr(form, "cleaned_data") else None
    if seen is None or current_version(record) == seen:
        return None
    error = stale(record, seen, names)
    show_stale(form, error, field)
    return error


def show_stale(form, error, field="seen_version"):
    """Stale's message on the form, which keeps what was entered and now carries the version
    stored: saving it again (after reading the differences) replaces the other person's
    change on purpose."""
    form.add_error(None, str(error))
    form.data = form.data.copy()
    form.data[form.add_prefix(field)] = str(error.version)


ETAG = re.compile(r'(?:W/)?"([^"]*)"|([^,\s"]+)')


def etag(version):
    """The API's entity tag of a record's version: "3"."""
    return f'"{version}"'


def seen_from_if_match(request, record):
    """The version an API writer read, from its If-Match: None without the header (or with
    `*`): the write proceeds unchecked; the record's version when one of its tags names it (a
    weak tag, W/"3", too: a proxy may have weakened ours); else Stale, answered 412."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [m.group(1) if m.group(1) is not None else m.group(2) for m in ETAG.finditer(header)]
    if "*" in tags:
        return None
    if str(record.version) in tags:
        return record.version
    older = [int(tag) for tag in tags if tag.isdigit() and int(tag) < record.version]
    if older:
        error = stale(record, max(older), names=())
    else:
        what = type(record)._meta.verbose_name
        error = Stale(
            f"If-Match {header} names no version of this {what}; it is at {etag(record.version)}.",
            version=record.version,
        )
    raise error
