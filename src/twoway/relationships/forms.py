"""Forms of a pair's space. Labels name the people, never "A" and "B"."""

from __future__ import annotations

from django import forms

from twoway.core.forms import DatePicker
from twoway.programs.models import Cadence
from twoway.relationships.models import DEFAULT_CONFIDENTIALITY, AgreementFormat

ACKNOWLEDGEMENT = "I will keep what we share confidential, as written above."


class AcknowledgeForm(forms.Form):
    acknowledge = forms.BooleanField(
        label=ACKNOWLEDGEMENT,
        error_messages={"required": "Tick this to confirm: the agreement rests on it."},
    )


class AgreementForm(AcknowledgeForm):
    i_teach = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    partner_teaches = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    format = forms.ChoiceField(
        choices=AgreementFormat.choices, widget=forms.RadioSelect, label="Format"
    )
    ends_on = forms.DateField(
        label="End date",
        required=False,
        widget=DatePicker(),
        help_text="When you plan to wrap up and look back together.",
    )
    checkin_every_days = forms.TypedChoiceField(
        label="How often you check in",
        choices=Cadence.choices,
        coerce=int,
        initial=Cadence.FORTNIGHTLY,
    )
    success_measures = forms.CharField(
        label="How you will know it worked",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: each of us can point to one thing we now do differently.",
    )
    confidentiality = forms.CharField(
        label="Confidentiality",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        initial=DEFAULT_CONFIDENTIALITY,
        help_text="What stays between you, and what either of you may share.",
    )

    field_order = [
        "i_teach",
        "partner_teaches",
        "format",
        "ends_on",
        "checkin_every_days",
        "success_measures",
        "confidentiality",
        "acknowledge",
    ]

    def __init__(self, *args, me: str, partner: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["i_teach"].label = f"What you help {partner} learn"
        self.fields["i_teach"].help_text = f"In {partner}'s direction: what you will share."
        self.fields["partner_teaches"].label = f"What {partner} helps you learn"
        self.fields["partner_teaches"].help_text = f"In your direction: what {partner} will share."
