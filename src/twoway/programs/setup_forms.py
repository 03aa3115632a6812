"""Forms for setting a program up. The matching rules' fields are generated from the
engine's RULE_SPECS, and every check is the services' (`program_problems`), so a rule
or a range is never declared twice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape

from twoway.core.forms import DatePicker
from twoway.matching.rules import RULE_SPECS, RuleSpec
from twoway.programs.application_services import TEXT_MAX
from twoway.programs.models import (
    AT_RISK_RATING_RANGE,
    CAPACITY_RANGE,
    ONE_WAY_BALANCE_RANGE,
    PILOT_SIZE_RANGE,
    PULSE_INTERVAL_RANGE,
    STALLED_AFTER_RANGE,
    Cadence,
    Program,
    ProgramStatus,
)
from twoway.programs.setup_services import EDITABLE_FIELDS, Role, program_problems, unique_slug

RULE_PREFIX = "rule_"


def rule_field_name(spec: RuleSpec) -> str:
    return RULE_PREFIX + spec.name


def _rule_field(spec: RuleSpec, initial: Any) -> forms.Field:
    """A form field for one engine rule. Ranges go to the browser as hints only: the
    engine itself judges the value, so its message is the one shown."""
    common = {"label": spec.label, "help_text": spec.help, "initial": initial}
    if spec.kind == "choice":
        return forms.ChoiceField(choices=spec.choices, **common)
    if spec.kind == "boolean":
        return forms.BooleanField(required=False, **common)
    attrs = {"min": f"{spec.minimum:g}", "max": f"{spec.maximum:g}"}
    if spec.kind == "integer":
        return forms.IntegerField(
            required=not spec.optional, widget=forms.NumberInput(attrs=attrs), **common
        )
    return forms.FloatField(
        required=not spec.optional,
        widget=forms.NumberInput(attrs={**attrs, "step": "any"}),
        **common,
    )


def _number_attrs(low: float, high: float, step: str = "1") -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": f"{low:g}", "max": f"{high:g}", "step": step})


def _help(name: str) -> str:
    return Program._meta.get_field(name).help_text


class ProgramFieldsForm(forms.Form):
    """Parses what was typed; `clean` asks the services what is wrong with the result."""

    name = forms.CharField(label="Name", max_length=120)
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the program exists and what problem it solves. Participants read it "
        "when they are invited or apply.",
    )
    is_pilot = forms.BooleanField(
        label="This is a pilot", required=False, help_text=_help("is_pilot")
    )
    pilot_size = forms.IntegerField(
        label="Pilot size",
        required=False,
        widget=_number_attrs(*PILOT_SIZE_RANGE),
        help_text=f"How many people the pilot takes, from {PILOT_SIZE_RANGE[0]} to "
        f"{PILOT_SIZE_RANGE[1]}. Invitations, imports and approved applications stop "
        "once it is full; an invitation waiting for an answer holds a place. Pilots only.",
    )

    # The program the values apply to (None while creating one).
    program: Program | None = None

    def base_values(self) -> dict[str, Any]:
        """The program's values before the change (a new program's defaults)."""
        source = self.program or Program()
        return {name: getattr(source, name) for name in EDITABLE_FIELDS}

    def changes(self) -> dict[str, Any]:
        """The cleaned values, as the services take them."""
        return {name: value for name, value in self.cleaned_data.items() if name in EDITABLE_FIELDS}

    def clean(self):
        cleaned = super().clean()
        # A field that did not parse keeps its value from before the change, so every
        # other problem is still shown at once; its own parse error stays the one shown.
        values = self.base_values() | self.changes()
        for problem in program_problems(values, program=self.program):
            self._add_problem(problem.field, problem.message)
        return cleaned

    def _add_problem(self, field: str | None, message: str) -> None:
        name = field if field in self.fields else RULE_PREFIX + str(field)
        if name not in self.fields:
            name = None
        if name is None or name not in self.errors:
            self.add_error(name, message)


class ProgramNewForm(ProgramFieldsForm):
    slug = forms.SlugField(
        label="Web address",
        required=False,
        max_length=60,
        # Help text is rendered as HTML: unescaped, "<this>" would be an unknown tag.
        help_text=escape(
            "The program's address: /programs/<this>/. Leave it empty to make one from the name."
        ),
    )
    field_order = ["name", "slug", "purpose", "is_pilot", "pilot_size"]

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if not changes.get("slug"):
            changes.pop("slug", None)
        return changes

    def base_values(self) -> dict[str, Any]:
        values = super().base_values()
        values["slug"] = unique_slug(self.cleaned_data.get("name") or "")
        return values


# The setup page's sections: a title, what the section is for, and its fields.
SETUP_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "The program",
        "What it is for and where it stands. Start small with a pilot, then roll it out.",
        ("name", "purpose", "is_pilot", "pilot_size", "status", "starts_on", "ends_on"),
    ),
    (
        "Rhythm",
        "How often pairs meet, how often each partner is asked how it is going, and how "
        "many partners one person may have at a time.",
        ("cadence_days", "pulse_interval_days", "capacity"),
    ),
    (
        "Enrolment and matching",
        "Who may join, and whether participants rank their suggestions before the matching.",
        ("open_enrolment", "self_match"),
    ),
    (
        "Health flags",
        "When the health dashboard flags a pair, so you can step in early.",
        ("stalled_after_days", "one_way_below_balance", "at_risk_rating_at_most"),
    ),
    (
        "Matching rules",
        "What the matching must respect when it proposes pairs. These are the matching "
        "engine's own rules and defaults.",
        tuple(rule_field_name(spec) for spec in RULE_SPECS),
    ),
)


class ProgramSetupForm(ProgramFieldsForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ProgramStatus.choices,
        help_text="Draft while you set it up; enrolling while people join; running once "
        "pairs meet; closed at the end.",
    )
    starts_on = forms.DateField(label="Starts on", required=False, widget=DatePicker())
    ends_on = forms.DateField(
        label="Ends on", required=False, widget=DatePicker(), help_text="On or after the start."
    )
    cadence_days = forms.TypedChoiceField(
        label="Conversations", choices=Cadence.choices, coerce=int, help_text=_help("cadence_days")
    )
    pulse_interval_days = forms.IntegerField(
        label="Pulse every (days)",
        widget=_number_attrs(*PULSE_INTERVAL_RANGE),
        help_text=f"{_help('pulse_interval_days')} From {PULSE_INTERVAL_RANGE[0]} to "
        f"{PULSE_INTERVAL_RANGE[1]} days.",
    )
    capacity = forms.IntegerField(
        label="Partners per person",
        widget=_number_attrs(*CAPACITY_RANGE),
        help_text=f"{_help('capacity')} From {CAPACITY_RANGE[0]} to {CAPACITY_RANGE[1]}.",
    )
    open_enrolment = forms.BooleanField(
        label="Open enrolment", required=False, help_text=_help("open_enrolment")
    )
    self_match = forms.BooleanField(
        label="Self-match round", required=False, help_text=_help("self_match")
    )
    stalled_after_days = forms.IntegerField(
        label="Stalled after (days)",
        widget=_number_attrs(*STALLED_AFTER_RANGE),
        help_text=_help("stalled_after_days"),
    )
    one_way_below_balance = forms.FloatField(
        label="One-way below",
        widget=_number_attrs(*ONE_WAY_BALANCE_RANGE, step="0.05"),
        help_text=_help("one_way_below_balance"),
    )
    at_risk_rating_at_most = forms.IntegerField(
        label="At risk at a rating of",
        widget=_number_attrs(*AT_RISK_RATING_RANGE),
        help_text=_help("at_risk_rating_at_most"),
    )

    def __init__(self, *args, program: Program, **kwargs):
        self.program = program
        values = {name: getattr(program, name) for name in EDITABLE_FIELDS}
        rules = program.matching_rules()
        initial = values | {rule_field_name(s): getattr(rules, s.name) for s in RULE_SPECS}
        super().__init__(*args, initial=initial, **kwargs)
        for spec in RULE_SPECS:
            self.fields[rule_field_name(spec)] = _rule_field(spec, getattr(rules, spec.name))

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        current = self.program.matching_rules()
        # A rule that did not parse is judged at its current value, not as empty.
        changes["rules"] = {
            spec.name: self.cleaned_data.get(name)
            if (name := rule_field_name(spec)) in self.cleaned_data
            else getattr(current, spec.name)
            for spec in RULE_SPECS
        }
        return changes

    def sections(self) -> list[dict]:
        return [
            {"title": title, "help": help_text, "fields": [self[name] for name in names]}
            for title, help_text, names in SETUP_SECTIONS
        ]


class RoleForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="The person must already have a Twoway account. To bring in someone new, "
        "invite them instead.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (Role.COORDINATOR, "Coordinator: runs the program, sees pulses and exit reasons"),
            (Role.SPONSOR, "Sponsor: reads the aggregate reports only"),
        ],
        initial=Role.COORDINATOR,
    )


class RolloutForm(forms.Form):
    name = forms.CharField(
        label="Name of the full program",
        max_length=120,
        help_text="For example the pilot's name without “pilot”.",
    )
    slug = forms.SlugField(
        label="Web address",
        required=False,
        max_length=60,
        help_text="Leave it empty to make one from the name.",
    )
    close_pilot = forms.BooleanField(
        label="Close the pilot",
        required=False,
        initial=True,
        help_text="Its pairings keep their history; closing it only marks the pilot as over.",
    )


class ApplicationForm(forms.Form):
    offer = forms.CharField(
        label="What I can teach",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Skills, know-how or perspectives a colleague could learn from you.",
    )
    learn = forms.CharField(
        label="What I want to learn",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you hope a partner can help you with.",
    )
    why = forms.CharField(
        label="Why I want to join",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="A note for the applicant (optional)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="They read it with the decision.",
    )
