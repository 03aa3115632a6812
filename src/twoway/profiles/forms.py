"""Forms of the profile steps. They only parse what was typed; the rules live in services."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.urls import reverse_lazy

from twoway.core.models import RATING_MAX, RATING_MIN
from twoway.profiles.models import DEFAULT_SHARED, LEVEL_MAX, LEVEL_MIN, SharedField
from twoway.profiles.selectors import shareable_values
from twoway.profiles.services import MAX_ROWS, SKILL_NAME_MAX_LENGTH, SkillRow
from twoway.programs.models import Cadence, MeetingMode


class CommaListField(forms.CharField):
    """A list typed as one line, items separated by commas."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [item.strip() for item in text.split(",") if item.strip()]


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """Region/City names (and UTC), without the legacy aliases such as US/Eastern."""
    regions = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe")
    regions += ("Indian", "Pacific")
    names = sorted(name for name in zoneinfo.available_timezones() if name.split("/")[0] in regions)
    return [
        ("", "Choose your timezone…"),
        ("UTC", "UTC"),
        *((n, n.replace("_", " ")) for n in names),
    ]


LEVEL_CHOICES = [("", "Choose…"), *((n, str(n)) for n in range(LEVEL_MIN, LEVEL_MAX + 1))]


class AboutForm(forms.Form):
    job_title = forms.CharField(
        label="Role title",
        error_messages={"required": "Enter your role title."},
        max_length=120,
        help_text="As colleagues would know it, for example “Finance business partner”.",
    )
    department = forms.CharField(
        label="Department",
        error_messages={"required": "Enter your department."},
        max_length=80,
        help_text="Use the name colleagues use: pairs usually come from different departments.",
        widget=forms.TextInput(attrs={"list": "known-departments", "autocomplete": "off"}),
    )
    level = forms.TypedChoiceField(
        label="Level",
        error_messages={"required": "Choose your level."},
        choices=LEVEL_CHOICES,
        coerce=int,
        help_text="From 1 (entry level) up to 10, as your organisation counts them. "
        "Ask your coordinator if you are not sure.",
    )
    location = forms.CharField(
        label="Location",
        error_messages={"required": "Enter your office or city."},
        max_length=80,
        help_text="Your office or city.",
        widget=forms.TextInput(attrs={"list": "known-locations", "autocomplete": "off"}),
    )
    timezone = forms.ChoiceField(
        label="Timezone",
        error_messages={"required": "Choose your timezone."},
        choices=timezone_choices,
        help_text="Twoway shows times in it, and pairs people whose working hours overlap.",
    )
    languages = CommaListField(
        label="Languages",
        error_messages={"required": "Name at least one language."},
        help_text="The languages you could hold a conversation in, separated by commas: "
        "English, Spanish.",
    )
    interests = CommaListField(
        label="Interests",
        error_messages={"required": "Name at least one interest."},
        help_text="Inside or outside work, separated by commas: cycling, jazz, volunteering. "
        "A little common ground helps a pair get started.",
    )
    resource_groups = CommaListField(
        label="Employee resource groups (optional)",
        required=False,
        help_text="Groups you belong to, such as a women's network or a Pride network. "
        "Your partner sees them only if you tick them below.",
    )
    bio = forms.CharField(
        label="A few words about you (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you do, what you care about at work, what a partner should know.",
    )
    shared = forms.MultipleChoiceField(
        label="What your partner sees",
        required=False,
        choices=SharedField.choices,
        initial=DEFAULT_SHARED,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
        help_text="Your name, and the skills you offer and want to learn, always show: they "
        "are what your pairing is about. Tick the rest you are happy to share.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A timezone set elsewhere under a legacy name (US/Eastern) stays choosable.
        current = self.initial.get("timezone")
        if current and current not in dict(timezone_choices()):
            self.fields["timezone"].choices = [*timezone_choices(), (current, current)]


class SharingForm(forms.Form):
    shared = forms.MultipleChoiceField(
        label="What your partner sees",
        required=False,
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        if profile is not None:
            # Each choice shows what exactly would be shared.
            values = shareable_values(profile)
            self.fields["shared"].choices = [
                (value, f"{label}: {values[value]}") for value, label in SharedField.choices
            ]


class RatingSelect(forms.RadioSelect):
    """Radio buttons from 1 to 5, drawn as the `.rating` segmented control."""

    template_name = "profiles/widgets/rating.html"


RATING_CHOICES = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]

SKILL_INPUT_ATTRS = {
    "list": "skill-suggestions",
    "autocomplete": "off",
    "maxlength": SKILL_NAME_MAX_LENGTH,
    # Suggestions come from the vocabulary (aliases included) as the person types.
    "hx-get": reverse_lazy("profiles:skill-suggest"),
    "hx-trigger": "input changed delay:200ms, focus",
    "hx-target": "#skill-suggestions",
    "hx-sync": "this:replace",
}


class SkillRowForm(forms.Form):
    """One row: every field optional here, because a completely empty row is ignored
    and the service names the row at fault otherwise."""

    skill = forms.CharField(
        label="Skill or perspective",
        required=False,
        widget=forms.TextInput(attrs=SKILL_INPUT_ATTRS),
    )
    rating = forms.TypedChoiceField(
        required=False, choices=RATING_CHOICES, coerce=int, empty_value=None, widget=RatingSelect
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    # Set by the subclasses: the rating's question and the words for its two ends.
    rating_question = ""
    rating_low = ""
    rating_high = ""

    def row(self) -> SkillRow:
        # A formset does not clean a row nobody touched: it is simply empty.
        data = self.cleaned_data
        return SkillRow(
            skill=data.get("skill", ""), rating=data.get("rating"), text=data.get("text", "")
        )

    def typed(self) -> dict:
        """What was typed, whether valid or not, to show it again."""
        return {name: self[name].value() for name in self.fields}


class OfferRowForm(SkillRowForm):
    rating_question = "How well do you know it?"
    rating_low = "1 = some experience"
    rating_high = "5 = I could teach a course"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "Why it matters to the business"
        self.fields[
            "text"
        ].help_text = "Which challenge it helps with, or who would benefit if more people knew it."


class GapRowForm(SkillRowForm):
    rating_question = "Priority"
    rating_low = "1 = nice to have"
    rating_high = "5 = what I most want to learn"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "What you hope to get out of it (optional)"
        self.fields["text"].help_text = "A situation you face, or what you would do differently."


def row_formset(form: type[SkillRowForm]):
    return forms.formset_factory(
        form, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
    )


OfferRowFormSet = row_formset(OfferRowForm)
GapRowFormSet = row_formset(GapRowForm)


class PracticalitiesForm(forms.Form):
    meeting_mode = forms.ChoiceField(
        label="How do you prefer to meet?",
        error_messages={"required": "Choose how you prefer to meet."},
        choices=MeetingMode.choices,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
    )
    cadence_days = forms.TypedChoiceField(
        label="How often would you like to meet?",
        error_messages={"required": "Choose how often you would like to meet."},
        choices=Cadence.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
    )
    availability = forms.CharField(
        label="When can you usually meet? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: Tuesday or Thursday afternoons; not on Mondays.",
    )
