from __future__ import annotations

from django import forms

from twoway.pairing.models import DeclineReason, ExitReason


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why not?",
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        help_text="Only your program's coordinators may read this; it helps them suggest "
        "someone else.",
    )
    detail = forms.CharField(
        label="Anything the coordinators should know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ExitForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is the main reason?",
        choices=ExitReason.choices,
        widget=forms.RadioSelect,
        help_text="Confidential: only your program's coordinators may read it, never your partner.",
    )
    detail = forms.CharField(
        label="In your own words (optional, confidential)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    wants_rematch = forms.BooleanField(
        label="I would like to be paired with someone new", required=False, label_suffix=""
    )
