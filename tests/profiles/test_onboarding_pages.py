"""Onboarding at /welcome/<program>/: four steps, save and continue or finish later."""

from __future__ import annotations

import pytest

from tests.factories import ParticipantFactory, ProgramFactory, UserFactory, skill
from tests.profiles.helpers import ABOUT_FORM, PRACTICALITIES_FORM, rows_form
from twoway.profiles.models import Gap, Offer, Profile, SkillStatus
from twoway.programs.models import ParticipantStatus

pytestmark = pytest.mark.django_db

WELCOME = "/welcome/river/"


@pytest.fixture
def newcomer(cast, client):
    """A participant of river who has filled in nothing yet, signed in."""
    user = UserFactory(email="nia@example.org", full_name="Nia Newcomer", timezone="UTC")
    participant = ParticipantFactory(program=cast.river, user=user)
    client.force_login(user)
    return participant


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_welcome_opens_the_first_step_not_done(client, newcomer):
    assert client.get(WELCOME)["Location"] == "/welcome/river/about/"
    Profile.objects.create(
        user=newcomer.user, department="Ops", level=2, location="Lisbon", timezone="UTC"
    )
    assert client.get(WELCOME)["Location"] == "/welcome/river/offers/"


def test_welcome_of_a_finished_profile_goes_to_the_profile_page(client, newcomer):
    client.post("/welcome/river/about/", ABOUT_FORM)
    client.post("/welcome/river/offers/", rows_form("offers", [("SQL", 4, "")]))
    client.post("/welcome/river/gaps/", rows_form("gaps", [("Budgeting", 5, "")]))
    client.post("/welcome/river/practicalities/", PRACTICALITIES_FORM)
    response = client.get(WELCOME, follow=True)
    assert response.redirect_chain[-1][0] == "/profile/#program-river"
    assert "Your profile for River is complete" in _messages(response)[-1]


def test_the_first_step_welcomes_the_newcomer_and_shows_four_steps(client, newcomer):
    page = client.get("/welcome/river/about/").content.decode()
    assert "About River." in page
    assert "step 1 of 4" in page
    assert page.count('<li class="done">') == 0
    assert 'aria-current="step">About you' in page
    for title in ("What you can offer", "What you want to learn", "Practicalities"):
        assert title in page


def test_about_you_saves_and_continues_to_offers(client, newcomer):
    response = client.post("/welcome/river/about/", {**ABOUT_FORM, "action": "continue"})
    assert response["Location"] == "/welcome/river/offers/"
    profile = Profile.objects.get(user=newcomer.user)
    assert profile.languages == ["Portuguese", "English"]
    assert profile.shared_with_partner == ["job_title", "department"]
    newcomer.user.refresh_from_db()
    assert newcomer.user.timezone == "Europe/Lisbon"


def test_about_you_keeps_what_was_typed_and_names_the_missing_field(client, newcomer):
    response = client.post("/welcome/river/about/", {**ABOUT_FORM, "department": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["department"]
    page = response.content.decode()
    assert 'value="Data analyst"' in page
    assert 'aria-invalid="true"' in page
    assert not Profile.objects.filter(user=newcomer.user).exists()


def test_about_you_refuses_an_unknown_timezone(client, newcomer):
    response = client.post("/welcome/river/about/", {**ABOUT_FORM, "timezone": "Mars/Base"})
    assert "timezone" in response.context["form"].errors
    assert not Profile.objects.filter(user=newcomer.user).exists()


def test_save_and_finish_later_goes_home_with_a_message(client, newcomer):
    response = client.post("/welcome/river/about/", {**ABOUT_FORM, "action": "later"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "waiting for you under Profile" in _messages(response)[-1]
    assert Profile.objects.filter(user=newcomer.user).exists()


def test_offers_step_shows_three_empty_rows_to_start_with(client, newcomer):
    response = client.get("/welcome/river/offers/")
    assert len(response.context["formset"].forms) == 3
    page = response.content.decode()
    assert "What lessons are you willing to share" in page
    assert "Which of the company's challenges do you have insight into?" in page
    assert "1 = some experience" in page and "5 = I could teach a course" in page
    assert 'list="skill-suggestions"' in page and '<datalist id="skill-suggestions">' in page


def test_offers_step_shows_saved_offers_and_one_empty_row(client, newcomer):
    Offer.objects.create(participant=newcomer, skill=skill("SQL"), proficiency=4)
    formset = client.get("/welcome/river/offers/").context["formset"]
    assert [form.initial.get("skill") for form in formset.forms] == ["SQL", None]


def test_offers_are_saved_and_the_next_step_opens(client, newcomer):
    data = rows_form(
        "offers",
        [("Excel", 5, "Month-end closes faster."), ("", None, ""), ("Tide tables", 3, "")],
        action="continue",
    )
    response = client.post("/welcome/river/offers/", data)
    assert response["Location"] == "/welcome/river/gaps/"
    offers = {o.skill.name: o for o in newcomer.offers.select_related("skill")}
    assert set(offers) == {"Spreadsheets", "Tide tables"}
    assert offers["Spreadsheets"].business_value == "Month-end closes faster."
    assert offers["Tide tables"].skill.status == SkillStatus.PROPOSED


def test_row_errors_show_next_to_the_row_and_keep_what_was_typed(client, newcomer):
    data = rows_form("offers", [("SQL", 4, "Reports"), ("sql", 3, ""), ("", 2, "No skill")])
    response = client.post("/welcome/river/offers/", data)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    # Beside the field the row goes without saying; the summary above names it.
    assert forms[1].errors["skill"] == ["You listed SQL twice (also in row 1)."]
    assert forms[2].errors["skill"] == ["Choose a skill."]
    assert response.context["errors"] == [
        "Row 2: you listed SQL twice (also in row 1).",
        "Row 3: choose a skill.",
    ]
    page = response.content.decode()
    assert 'role="alert"' in page and 'value="sql"' in page and "No skill" in page
    assert not newcomer.offers.exists()


def test_a_rating_that_is_not_1_to_5_names_its_row(client, newcomer):
    response = client.post("/welcome/river/gaps/", rows_form("gaps", [("SQL", 9, "")]))
    assert response.context["errors"][0].startswith("Row 1: Select a valid choice.")
    assert not newcomer.gaps.exists()


def test_an_empty_list_asks_for_at_least_one_skill(client, newcomer):
    response = client.post("/welcome/river/gaps/", rows_form("gaps", [("", None, "")] * 3))
    assert response.context["errors"] == ["List at least one thing you want to learn."]


def test_add_another_is_a_plain_post_that_keeps_the_rows_and_saves_nothing(client, newcomer):
    data = rows_form("offers", [("SQL", 4, "Reports")], add="1")
    response = client.post("/welcome/river/offers/", data)
    formset = response.context["formset"]
    assert [form.initial.get("skill") for form in formset.forms] == ["SQL", None]
    assert formset.forms[0].initial["rating"] == "4"
    # The new row's skill field takes the focus, so keyboard users carry on typing.
    assert 'name="offers-1-skill"' in response.content.decode().split("autofocus")[0][-400:]
    assert not newcomer.offers.exists()


def test_add_another_with_htmx_returns_only_the_rows(client, newcomer):
    data = rows_form("offers", [("SQL", 4, "Reports")], add="1")
    response = client.post("/welcome/river/offers/", data, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="rows"')
    assert "<html" not in page
    assert 'name="offers-TOTAL_FORMS" value="2"' in page


def test_remove_takes_the_row_out_and_renumbers_the_rest(client, newcomer):
    rows = [("SQL", 4, ""), ("Budgeting", 3, ""), ("Negotiation", 2, "")]
    response = client.post("/welcome/river/offers/", rows_form("offers", rows, remove="1"))
    formset = response.context["formset"]
    assert [form.initial["skill"] for form in formset.forms] == ["SQL", "Negotiation"]
    assert "Row 3" not in response.content.decode()
    assert not newcomer.offers.exists()


def test_removing_the_last_row_leaves_one_empty_row(client, newcomer):
    response = client.post(
        "/welcome/river/offers/", rows_form("offers", [("SQL", 4, "")], remove="0")
    )
    assert [form.initial for form in response.context["formset"].forms] == [{}]


def test_saving_removes_a_skill_no_longer_listed(client, newcomer):
    Gap.objects.create(participant=newcomer, skill=skill("SQL"), priority=3)
    client.post("/welcome/river/gaps/", rows_form("gaps", [("Budgeting", 4, "")]))
    assert [gap.skill.name for gap in newcomer.gaps.select_related("skill")] == ["Budgeting"]


def test_practicalities_start_from_the_program_rhythm(client, newcomer):
    form = client.get("/welcome/river/practicalities/").context["form"]
    assert form.initial["cadence_days"] == newcomer.program.cadence_days


def test_finishing_the_last_step_lands_home_with_a_success_message(client, newcomer):
    client.post("/welcome/river/about/", ABOUT_FORM)
    client.post("/welcome/river/offers/", rows_form("offers", [("SQL", 4, "")]))
    client.post("/welcome/river/gaps/", rows_form("gaps", [("Budgeting", 5, "")]))
    page = client.get("/welcome/river/practicalities/").content.decode()
    assert "Save and finish</button>" in page and "finish later" not in page
    response = client.post(
        "/welcome/river/practicalities/", {**PRACTICALITIES_FORM, "action": "continue"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Your profile for River is complete" in _messages(response)[-1]
    newcomer.refresh_from_db()
    assert newcomer.profile_completed_at is not None


def test_practicalities_name_a_missing_choice(client, newcomer):
    response = client.post("/welcome/river/practicalities/", {"cadence_days": "14"})
    assert "meeting_mode" in response.context["form"].errors
    newcomer.refresh_from_db()
    assert newcomer.preferred_cadence_days is None


def test_a_participant_of_two_programs_fills_about_you_once(client, newcomer):
    lake = ProgramFactory(slug="lake-two")
    ParticipantFactory(program=lake, user=newcomer.user)
    client.post("/welcome/river/about/", ABOUT_FORM)
    assert client.get("/welcome/lake-two/")["Location"] == "/welcome/lake-two/offers/"


def test_a_withdrawn_participant_cannot_open_the_onboarding(client, newcomer):
    newcomer.status = ParticipantStatus.WITHDRAWN
    newcomer.save()
    assert client.get(WELCOME).status_code == 404


def test_add_another_stops_at_the_most_rows_a_list_can_have(client, newcomer):
    rows = [(f"Skill {n}", 3, "") for n in range(20)]
    response = client.post("/welcome/river/offers/", rows_form("offers", rows, add="1"))
    assert len(response.context["formset"].forms) == 20
    assert response.context["errors"] == ["You can list at most 20 skills here."]


def test_a_timezone_under_a_legacy_name_stays_choosable(client, newcomer):
    Profile.objects.create(
        user=newcomer.user, department="Ops", level=2, location="Boston", timezone="US/Eastern"
    )
    response = client.post(
        "/profile/about/", {**ABOUT_FORM, "timezone": "US/Eastern", "action": "save"}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=newcomer.user).timezone == "US/Eastern"


def test_removing_a_row_by_a_nonsense_index_keeps_the_rows(client, cast):
    client.force_login(cast.alice)
    response = client.post(
        "/profile/river/offers/",
        {
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "0",
            "offers-0-skill": "Budgeting",
            "remove": "-5",
        },
    )
    assert response.status_code == 200
