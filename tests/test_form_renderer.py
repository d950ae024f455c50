"""The form renderer (config/forms.py) draws Django's widgets from their Jinja2 templates and
the admin's own from the project's templates: the same HTML as Django's own templates give,
whitespace between tags and the spelling of a quote aside."""

import re

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates, get_default_renderer

from config.forms import FormRenderer

CHOICES = [("a", "First <one>"), ("Group", [("b", "Second & more"), ("c", "Third")]), ("", "—")]


def same_html(html):
    """The HTML with its whitespace between tags dropped and its character references in one
    spelling (Jinja2 writes a quote `&#34;`, Django `&quot;`: the same character)."""
    html = str(html).replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"class": "wide", "required": True, "disabled": False}), 'a "b"'),
        (forms.NumberInput(attrs={"min": 0}), 42),
        (forms.HiddenInput(), "k<ey>"),
        (forms.EmailInput(), None),
        (forms.URLInput(), "https://example.org/?a=1&b=2"),
        (forms.PasswordInput(render_value=True), "secret"),
        (forms.Textarea(attrs={"rows": 3}), "Line one\n<script>two</script>"),
        (forms.CheckboxInput(), True),
        (forms.Select(choices=CHOICES), "b"),
        (forms.SelectMultiple(choices=CHOICES), ["a", "c"]),
        (forms.RadioSelect(choices=CHOICES), "c"),
        (forms.CheckboxSelectMultiple(choices=CHOICES), ["a", "b"]),
        (forms.DateInput(), "2026-12-04"),
        (forms.ClearableFileInput(), None),
        (forms.SplitDateTimeWidget(), None),
        (admin_widgets.AdminDateWidget(), "2026-12-04"),
        (admin_widgets.AdminURLFieldWidget(), "https://example.org/"),
        (admin_widgets.AdminIntegerFieldWidget(), 7),
    ],
)
def test_a_widget_renders_the_html_djangos_templates_give(widget, value):
    attrs = {"id": "id_field"}
    expected = widget.render("field", value, attrs, renderer=DjangoTemplates())
    rendered = widget.render("field", value, attrs, renderer=FormRenderer())
    assert same_html(rendered) == same_html(expected)
    assert "field" in rendered


def test_a_form_renders_the_html_djangos_templates_give():
    class Form(forms.Form):
        name = forms.CharField(help_text="Your <b>name</b>")
        kind = forms.ChoiceField(choices=CHOICES)

    form = Form(data={"name": "", "kind": "z"})
    assert not form.is_valid()
    expected = Form(data=form.data, renderer=DjangoTemplates()).as_div()
    assert same_html(Form(data=form.data, renderer=FormRenderer()).as_div()) == same_html(expected)


def test_the_site_renders_its_forms_with_it():
    assert isinstance(get_default_renderer(), FormRenderer)
