"""Creating a program and editing its settings, the matching rules included."""

import pytest
from django.urls import reverse

from tests.factories import pairing_of
from tests.programs.helpers import assert_only_coordinators_may_open, setup_post_data
from twoway.core.errors import ActionError, NotFound
from twoway.matching.rules import RULE_SPECS
from twoway.programs.models import AuditAction, AuditEvent, Program, ProgramStatus
from twoway.programs.setup_forms import ProgramSetupForm, rule_field_name
from twoway.programs.setup_services import program_create, program_update

pytestmark = pytest.mark.django_db


def setup_url(program):
    return reverse("programs:setup", args=[program.slug])


# --- creating -------------------------------------------------------------------------


def test_a_coordinator_creates_a_program_and_coordinates_it_with_an_audit_record(cast):
    program = program_create(by=cast.dana, name="Spring pilot", purpose="Learn both ways.")
    assert program.slug == "spring-pilot"
    assert program.status == ProgramStatus.DRAFT
    assert list(program.coordinators.all()) == [cast.dana]
    event = AuditEvent.objects.get(program=program)
    assert (event.action, event.actor, event.subject) == (
        AuditAction.COORDINATOR_ADDED,
        cast.dana,
        cast.dana,
    )


def test_a_staff_admin_may_create_a_program(cast):
    program = program_create(by=cast.root, name="Staff made", purpose="Why.")
    assert program.coordinators.filter(pk=cast.root.pk).exists()


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_people_who_coordinate_nothing_may_not_create_programs(cast, who):
    with pytest.raises(NotFound):
        program_create(by=getattr(cast, who), name="Mine", purpose="Why.")


def test_a_pilot_needs_a_size_and_only_a_pilot_may_have_one(cast):
    with pytest.raises(ActionError) as error:
        program_create(by=cast.dana, name="P", purpose="Why.", is_pilot=True)
    assert error.value.field == "pilot_size"
    with pytest.raises(ActionError) as error:
        program_create(by=cast.dana, name="P", purpose="Why.", pilot_size=20)
    assert error.value.field == "pilot_size"
    with pytest.raises(ActionError) as error:
        program_create(by=cast.dana, name="P", purpose="Why.", is_pilot=True, pilot_size=1)
    assert "from 2 to 10000" in error.value.message
    assert not Program.objects.filter(name="P").exists()


def test_a_taken_or_reserved_web_address_is_refused(cast):
    for slug in ("river", "new"):
        with pytest.raises(ActionError) as error:
            program_create(by=cast.dana, name="X", slug=slug, purpose="Why.")
        assert error.value.field == "slug"


def test_two_programs_with_the_same_name_get_different_addresses(cast):
    first = program_create(by=cast.dana, name="Same", purpose="Why.")
    second = program_create(by=cast.dana, name="Same", purpose="Why.")
    assert (first.slug, second.slug) == ("same", "same-2")


def test_the_new_program_page_creates_and_lands_on_setup(client, cast):
    client.force_login(cast.dana)
    response = client.post(
        reverse("programs:new"),
        {"name": "Autumn pilot", "purpose": "Bridge silos.", "is_pilot": "on", "pilot_size": 30},
    )
    program = Program.objects.get(name="Autumn pilot")
    assert response["Location"] == setup_url(program)
    assert program.is_pilot and program.pilot_size == 30


def test_the_new_program_page_shows_the_web_address_pattern_as_text(client, cast):
    client.force_login(cast.dana)
    page = client.get(reverse("programs:new")).content.decode()
    assert "/programs/&lt;this&gt;/." in page


def test_the_new_program_page_shows_the_error_next_to_the_field(client, cast):
    client.force_login(cast.dana)
    response = client.post(reverse("programs:new"), {"name": "X", "purpose": "Y", "is_pilot": "on"})
    assert response.status_code == 200
    assert "Say how many people the pilot takes." in response.context["form"].errors["pilot_size"]
    assert not Program.objects.filter(name="X").exists()


@pytest.mark.parametrize("who", ["alice", "bob", "sam"])
def test_the_new_program_page_is_404_for_people_who_coordinate_nothing(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("programs:new")).status_code == 404


@pytest.mark.parametrize("who", ["dana", "erin", "root"])
def test_coordinators_and_staff_see_the_new_program_link_at_home(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("programs:new")).status_code == 200
    assert reverse("programs:new") in client.get("/").content.decode()


def test_participants_do_not_see_the_new_program_link(client, cast):
    client.force_login(cast.alice)
    assert reverse("programs:new") not in client.get("/").content.decode()


# --- the setup form: generated from the engine ----------------------------------------


def test_the_form_has_one_field_per_engine_rule_with_the_engine_default(cast):
    form = ProgramSetupForm(program=cast.river)
    rule_fields = [name for name in form.fields if name.startswith("rule_")]
    assert rule_fields == [rule_field_name(spec) for spec in RULE_SPECS]
    for spec in RULE_SPECS:
        field = form.fields[rule_field_name(spec)]
        assert field.initial == spec.default
        assert field.label == spec.label
        assert field.help_text == spec.help
        assert field.required == (spec.kind not in {"boolean"} and not spec.optional)
        if spec.kind == "choice":
            assert list(field.choices) == list(spec.choices)
        if spec.kind in {"integer", "number"}:
            assert field.widget.attrs["min"] == f"{spec.minimum:g}"
            assert field.widget.attrs["max"] == f"{spec.maximum:g}"


def test_the_setup_page_saves_every_setting_and_rule(client, cast):
    client.force_login(cast.dana)
    data = setup_post_data(ProgramSetupForm(program=cast.river))
    data |= {
        "name": "River 2",
        "capacity": 3,
        "stalled_after_days": 21,
        "rule_min_level_gap": 2,
        "rule_max_level_gap": 5,
        "rule_cross_department": "ignore",
        "open_enrolment": "on",
    }
    data.pop("rule_require_common_language", None)
    response = client.post(setup_url(cast.river), data)
    assert response.status_code == 302
    river = Program.objects.get(pk=cast.river.pk)
    assert (river.name, river.capacity, river.stalled_after_days) == ("River 2", 3, 21)
    assert river.open_enrolment
    rules = river.matching_rules()
    assert (rules.min_level_gap, rules.max_level_gap) == (2, 5)
    assert rules.cross_department == "ignore"
    assert rules.require_common_language is False


def test_a_bad_rule_is_shown_next_to_its_field_in_the_engines_words_and_nothing_is_saved(
    client, cast
):
    client.force_login(cast.dana)
    data = setup_post_data(ProgramSetupForm(program=cast.river))
    data |= {"name": "Renamed", "rule_min_level_gap": 4, "rule_max_level_gap": 2}
    data |= {"rule_exclude_reporting_line": 99}
    response = client.post(setup_url(cast.river), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["rule_max_level_gap"] == ["Must be at least “Smallest level gap” (4), got 2."]
    assert errors["rule_exclude_reporting_line"] == ["Must be an integer from 0 to 50, got 99."]
    assert Program.objects.get(pk=cast.river.pk).name == "River"


def test_ends_before_it_starts_is_refused_on_the_end_date(client, cast):
    client.force_login(cast.dana)
    data = setup_post_data(ProgramSetupForm(program=cast.river))
    data |= {"starts_on": "2027-01-10", "ends_on": "2027-01-01"}
    response = client.post(setup_url(cast.river), data)
    assert response.context["form"].errors["ends_on"] == [
        "The end date must be on or after the start."
    ]


def test_lowering_capacity_below_live_pairings_is_refused_on_the_capacity_field(client, cast):
    Program.objects.filter(pk=cast.river.pk).update(capacity=2)
    pairing_of(cast.alice_p, cast.charlie_p)  # alice now has two live pairings
    cast.river.refresh_from_db()
    with pytest.raises(ActionError) as error:
        program_update(program=cast.river, by=cast.dana, capacity=1, name="Changed")
    assert error.value.field == "capacity"
    assert "already has 2 live pairings" in error.value.message
    cast.river.refresh_from_db()
    assert (cast.river.capacity, cast.river.name) == (2, "River")

    client.force_login(cast.dana)
    data = setup_post_data(ProgramSetupForm(program=cast.river)) | {"capacity": 1}
    response = client.post(setup_url(cast.river), data)
    assert "cannot go below 2" in response.context["form"].errors["capacity"][0]


def test_other_stored_rules_survive_an_edit(cast):
    Program.objects.filter(pk=cast.river.pk).update(rules={"weights": {"difference": 2.0}})
    cast.river.refresh_from_db()
    program_update(program=cast.river, by=cast.dana, rules={"min_level_gap": 1})
    cast.river.refresh_from_db()
    assert cast.river.rules["weights"] == {"difference": 2.0}
    assert cast.river.matching_rules().min_level_gap == 1


def test_only_its_coordinators_may_update_a_program(cast):
    with pytest.raises(NotFound):
        program_update(program=cast.river, by=cast.erin, name="Taken over")


def test_only_coordinators_may_open_or_post_the_setup_page(client, cast):
    assert_only_coordinators_may_open(client, cast, setup_url(cast.river))
    assert_only_coordinators_may_open(
        client, cast, setup_url(cast.river), method="post", data={"name": ""}
    )


def test_the_setup_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    client.force_login(cast.dana)
    with django_assert_num_queries(SETUP_QUERIES):
        response = client.get(setup_url(cast.river))
    assert response.status_code == 200


SETUP_QUERIES = 4  # session, user, the program (with access), the navigation


def test_a_value_that_does_not_parse_does_not_hide_the_other_problems(client, cast):
    client.force_login(cast.dana)
    data = setup_post_data(ProgramSetupForm(program=cast.river))
    data |= {"stalled_after_days": "soon", "rule_min_level_gap": "two"}
    data |= {"capacity": 99, "starts_on": "2027-01-10", "ends_on": "2027-01-01"}
    response = client.post(setup_url(cast.river), data)
    errors = response.context["form"].errors
    assert errors["stalled_after_days"] == ["Enter a whole number."]
    assert errors["rule_min_level_gap"] == ["Enter a whole number."]
    assert errors["capacity"] == ["Enter a number from 1 to 10."]
    assert errors["ends_on"] == ["The end date must be on or after the start."]
    assert set(errors) == {"stalled_after_days", "rule_min_level_gap", "capacity", "ends_on"}


def test_a_web_address_taken_at_the_same_moment_is_a_field_error_not_a_crash(
    client, cast, monkeypatch
):
    # Two coordinators creating "river" at once both pass the check; the second insert
    # then meets the unique index, and must be told so like the check would have.
    from twoway.programs import setup_services

    monkeypatch.setattr(setup_services, "_slug_problems", lambda slug, program: [])
    client.force_login(cast.dana)
    response = client.post(
        reverse("programs:new"), {"name": "Another river", "slug": "river", "purpose": "Why."}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Another program already uses this web address."
    ]
    assert not Program.objects.filter(name="Another river").exists()
