"""A page's form as a browser posts it: every field with the value the page rendered (checked
boxes only, the selected options), then the changes a person makes on top."""

import lxml.html


def as_posted(response, has_field, **changes):
    """The POST data of the form of `response` that has the field `has_field`, unchanged but
    for `changes`."""
    page = lxml.html.fromstring(response.content.decode())
    forms = [form for form in page.forms if form.inputs.keys() and has_field in form.inputs.keys()]
    assert len(forms) == 1, f"{len(forms)} forms with a field {has_field!r}"
    data = {}
    for name, value in forms[0].form_values():
        data.setdefault(name, []).append(value)
    data = {name: values[0] if len(values) == 1 else values for name, values in data.items()}
    data.update({name: str(value) for name, value in changes.items()})
    return data
