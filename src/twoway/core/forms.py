"""Form rendering shared by every page: one accessible markup for every field.

Django's own templates already tie each input to its help text and errors
(aria-describedby, aria-invalid); ours only adds the wrapper the stylesheet uses.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"
