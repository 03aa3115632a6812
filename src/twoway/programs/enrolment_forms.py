"""Forms of the People tab: inviting by a list of addresses, uploading an HRIS export."""

from __future__ import annotations

from django import forms
from django.utils.html import escape

from twoway.programs.enrolment import MAX_ADDRESSES
from twoway.programs.imports import COLUMNS, MAX_UPLOAD_BYTES


class InviteListForm(forms.Form):
    addresses = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        # Django renders help text as HTML: unescaped, the example address would be a tag.
        help_text=escape(
            "Separate them with commas, spaces or new lines; a name may come first, "
            f"as in Ana Lima <ana.lima@example.org>. Up to {MAX_ADDRESSES} at once."
        ),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=f"UTF-8 text with the columns {', '.join(COLUMNS)}; "
        f"at most {MAX_UPLOAD_BYTES // 1_048_576} MB.",
    )
