"""Forms of a pair's conversations and of the two-way ledger.

Dates and times are typed in the person's own timezone and leave the form as
aware datetimes; the services store them in UTC.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone

from twoway.core.forms import DatePicker
from twoway.relationships.selectors.conversations import VALUE_WORDS, FocusChoices
from twoway.relationships.services.conversations import LOCATION_MAX, Plan
from twoway.relationships.services.exchanges import NOTE_MAX, Learned

DURATIONS = [(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 hour")]
DURATIONS += [(90, "1 hour 30 minutes"), (120, "2 hours")]
RATING_CHOICES = list(VALUE_WORDS.items())  # the number shows; the words are read out


def wall_time_exists(naive: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """False for a time the clocks skip when they go forward (e.g. 02:30 in spring)."""
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) == naive


class RatingRadios(forms.RadioSelect):
    template_name = "relationships/conversations/widgets/rating.html"


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "relationships/conversations/widgets/grouped_checkboxes.html"


class ConversationForm(forms.Form):
    """Schedule a conversation, or change its time, place or focus."""

    date = forms.DateField(
        label="Date",
        widget=DatePicker(),
        error_messages={"required": "Choose a date.", "invalid": "Enter a date like 2027-01-31."},
    )
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Choose a start time.", "invalid": "Enter a time like 14:30."},
    )
    duration_minutes = forms.TypedChoiceField(
        label="Length", choices=DURATIONS, coerce=int, initial=45
    )
    location = forms.CharField(label="Place or video link", required=False, max_length=LOCATION_MAX)
    focus_skills = forms.TypedMultipleChoiceField(
        label="What to focus on", required=False, coerce=int, widget=GroupedCheckboxes
    )
    topics = forms.CharField(
        label="Other topics",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. One per line.",
    )

    # Where a service's refusal about a plan belongs in this form.
    SERVICE_FIELDS = {"starts_at": "date"}

    def __init__(self, *args, zone: zoneinfo.ZoneInfo, focus: FocusChoices, partner: str, **kw):
        super().__init__(*args, **kw)
        self.zone = zone
        self.fields["start_time"].label = f"Start time ({zone.key})"
        self.fields["start_time"].help_text = f"In your timezone, {zone.key}."
        self.fields[
            "location"
        ].help_text = (
            f"A room, a café, or the link to your video call. Only you and {partner} see it."
        )
        choices = focus.grouped(partner)
        if choices:
            self.fields["focus_skills"].choices = choices
        else:
            del self.fields["focus_skills"]
        current = self.initial.get("duration_minutes")
        if current and current not in dict(DURATIONS):
            # A length set elsewhere (the demo, the API) stays choosable when changing the time.
            minutes = self.fields["duration_minutes"]
            minutes.choices = sorted([*DURATIONS, (current, f"{current} minutes")])

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("start_time")
        if day and start:
            naive = datetime.combine(day, start)
            if not wall_time_exists(naive, self.zone):
                self.add_error(
                    "start_time",
                    f"{start:%H:%M} does not exist on that day in {self.zone.key}: the clocks "
                    "go forward then. Choose another time.",
                )
            else:
                data["starts_at"] = naive.replace(tzinfo=self.zone)
        return data

    def plan(self) -> Plan:
        data = self.cleaned_data
        return Plan(
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            location=data["location"],
            focus_skill_ids=tuple(data.get("focus_skills", ())),
            topics=tuple(data["topics"].splitlines()),
        )

    @staticmethod
    def initial_from(conversation, zone: zoneinfo.ZoneInfo) -> dict:
        local = timezone.localtime(conversation.starts_at, zone)
        return {
            "date": local.date(),
            "start_time": local.time(),
            "duration_minutes": conversation.duration_minutes,
            "location": conversation.location,
            "focus_skills": [skill.pk for skill in conversation.focus_skills.all()],
            "topics": "\n".join(conversation.topics or []),
        }


class NotesForm(forms.Form):
    shared_notes = forms.CharField(
        label="Notes for this conversation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="An agenda before you meet, what you agreed afterwards.",
    )
    # The notes as they were when the page was opened, to notice a partner's save meanwhile.
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)


class LearnedForm(forms.Form):
    """One thing I learned from my partner: a skill, how valuable it was, a note."""

    skill = forms.CharField(
        label="Skill",
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"list": "learned-skills", "autocomplete": "off"}),
        help_text="Choose a suggestion or type a skill.",
    )
    value_rating = forms.TypedChoiceField(
        label="How valuable was it?",
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=RatingRadios,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: what you will do with it.",
    )

    def learned(self) -> Learned:
        data = self.cleaned_data
        return Learned(
            skill=data.get("skill", ""),
            value_rating=data.get("value_rating"),
            note=data.get("note", ""),
        )


LearnedFormSet = forms.formset_factory(LearnedForm, extra=3, max_num=10, absolute_max=10)


class ExchangeEditForm(forms.Form):
    value_rating = forms.TypedChoiceField(
        label="How valuable was it?",
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        widget=RatingRadios,
        error_messages={"required": "Choose a rating from 1 to 5."},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
