"""Forms of the journal, goals, pulse and endorsement pages.

They check the shape of what was typed; the services check what it means
(whose pairing, which gap, whether a pulse is due), so the rules hold for the
API too.
"""

from __future__ import annotations

from django import forms

from twoway.core.forms import DatePicker
from twoway.relationships.models import EndorsementKind

NO_LINK = ("", "—")


class JournalEntryForm(forms.Form):
    title = forms.CharField(label="Title (optional)", max_length=140, required=False)
    body = forms.CharField(
        label="Your entry",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Only you can ever read it: not your partner, not your coordinators, not staff.",
    )
    skills = forms.TypedMultipleChoiceField(
        label="Skills it is about (optional)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tagged entries come back under “Revisit” when you work on the skill again.",
    )
    pairing = forms.TypedChoiceField(
        label="The pairing it is about (optional)", coerce=int, empty_value=None, required=False
    )
    conversation = forms.TypedChoiceField(
        label="The conversation it is about (optional)",
        coerce=int,
        empty_value=None,
        required=False,
    )
    revisit_on = forms.DateField(
        label="Bring it back on (optional)",
        required=False,
        widget=DatePicker(),
        help_text="On that day it shows under “Revisit” at the top of your journal.",
    )

    def __init__(self, *args, skills=(), pairings=(), conversations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = [(skill.pk, skill.name) for skill in skills]
        if not skills:
            del self.fields["skills"]
        self.fields["pairing"].choices = [NO_LINK, *pairings]
        self.fields["conversation"].choices = [NO_LINK, *conversations]
        # Someone without a pairing has nothing to link an entry to.
        if not pairings:
            del self.fields["pairing"]
        if not conversations:
            del self.fields["conversation"]


class GoalForm(forms.Form):
    skill = forms.TypedChoiceField(
        label="The skill it works on",
        coerce=int,
        help_text="One of the skills you want to learn in this program.",
    )
    title = forms.CharField(
        label="Your goal",
        max_length=140,
        help_text="Say what success looks like, e.g. “Run next quarter's budget review myself”.",
    )
    description = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_date = forms.DateField(
        label="Target date (optional)",
        required=False,
        widget=DatePicker(),
    )

    def __init__(self, *args, gaps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", "Choose a skill…")] + [
            (gap.skill_id, gap.skill.name) for gap in gaps
        ]


class CheckInForm(forms.Form):
    progress_percent = forms.IntegerField(
        label="Progress (%)",
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    note = forms.CharField(
        label="What changed (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, goal_id: int, partner_name: str, **kwargs):
        # Each goal has its own form on the page: ids must not clash.
        super().__init__(*args, auto_id=f"id_goal{goal_id}_%s", **kwargs)
        self.fields["note"].help_text = f"{partner_name} sees your goals and check-ins too."


# Each question of the pulse, with words for each point of its scale.
PULSE_QUESTIONS = {
    "fit": (
        "How well do you and {name} work together?",
        ("Poorly", "Not so well", "Fairly well", "Well", "Very well"),
    ),
    "trust": (
        "How safe do you feel being open with {name}?",
        ("Not safe", "A little", "Fairly safe", "Safe", "Completely"),
    ),
    "value_received": (
        "How much are you learning from {name}?",
        ("Nothing yet", "A little", "Some", "A lot", "A great deal"),
    ),
    "value_given": (
        "How much do you feel {name} is learning from you?",
        ("Nothing yet", "A little", "Some", "A lot", "A great deal"),
    ),
}


class PulseForm(forms.Form):
    comment = forms.CharField(
        label="Anything else your coordinators should know? (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, partner_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {
            name: forms.TypedChoiceField(
                label=question.format(name=partner_name),
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(n, words) for n, words in enumerate(scale, start=1)],
            )
            for name, (question, scale) in PULSE_QUESTIONS.items()
        }
        comment = self.fields.pop("comment")
        self.fields.update(questions)
        self.fields["comment"] = comment

    def questions(self):
        return [self[name] for name in PULSE_QUESTIONS]


class EndorsementForm(forms.Form):
    kind = forms.ChoiceField(label="What would you like to write?", widget=forms.RadioSelect)
    skill = forms.TypedChoiceField(label="The skill", coerce=int, empty_value=None, required=False)
    text = forms.CharField(
        label="In your own words",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, partner_name: str, skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        name = partner_name
        reads = f"{name} reads it and decides whether it shows on their profile."
        if not skills:
            # Nothing recorded as taught yet: a recommendation is the only choice.
            self.fields["kind"].choices = [
                (EndorsementKind.RECOMMENDATION, f"Recommend {name} for a role or opportunity")
            ]
            self.fields["kind"].initial = EndorsementKind.RECOMMENDATION
            self.fields["text"].help_text = reads
            del self.fields["skill"]
            return
        self.fields["kind"].choices = [
            (EndorsementKind.SKILL, f"Endorse a skill {name} taught you"),
            (EndorsementKind.RECOMMENDATION, f"Recommend {name} for a role or opportunity"),
        ]
        self.fields["skill"].choices = [("", "Choose a skill…")] + [
            (skill.pk, skill.name) for skill in skills
        ]
        self.fields[
            "skill"
        ].help_text = f"The skills your conversations record {name} teaching you."
        self.fields[
            "text"
        ].help_text = f"Needed for a recommendation, optional for a skill. {reads}"
