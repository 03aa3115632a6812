"""Form rendering shared by every page: one accessible markup for every field.

Django's own templates already tie each input to its help text and errors
(aria-describedby, aria-invalid); ours only adds the wrapper the stylesheet uses.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"


class DatePicker(forms.DateInput):
    """The browser's date picker. It only accepts ISO dates (2027-01-31), whatever the
    site's locale, so an initial value in another format would show as empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
