"""The form renderer: Django's own form and widget templates in their Jinja2 version (Django
ships both, django/forms/templates and django/forms/jinja2, for the same HTML), which renders a
widget in a fraction of the Django template language's time; any other template a widget names
(the admin's own widgets: its related-object wrapper, its date and URL inputs) through the
project's templates as before. An admin form of 80 fields spent 18 ms rendering its widgets at
a million studies (docs/benchmarks.md)."""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(DjangoTemplates):
    @cached_property
    def jinja2(self):
        return Jinja2()

    def get_template(self, template_name):
        if template_name.startswith("django/forms/"):
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return super().get_template(template_name)
