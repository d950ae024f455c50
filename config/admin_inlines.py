"""The admin's tabular inlines, named for screen readers.

A tabular inline shows its fields under column headings, with no <label> beside each input, so
a screen reader announces an unnamed field and axe-core reports it (label, label-title-only).
`LabelledTabularInline` gives each field's widget its label as aria-label, and each row's
delete box its own; the rows added with "Add another" come from the same form, so they are
named too. The autocompletes (select2) carry
the name on to their combobox in claims/static/claims/admin.js."""

from django.contrib import admin
from django.utils.text import capfirst


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name, field in formset.form.base_fields.items():
            label = field.label if field.label is not None else capfirst(name.replace("_", " "))
            field.widget.attrs.setdefault("aria-label", str(label))
        return type(formset.__name__, (NamedDeleteBoxes, formset), {})


class NamedDeleteBoxes:
    """A formset mixin: each row's delete box (added by the formset, not the form) is named."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this row"
