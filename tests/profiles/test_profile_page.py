"""/profile/: the person's own profile, what their partner sees, and each program's part."""

from __future__ import annotations

import pytest

from tests.factories import ParticipantFactory, ProgramFactory, UserFactory, skill
from tests.profiles.helpers import ABOUT_FORM, PRACTICALITIES_FORM, rows_form
from twoway.profiles.models import Gap, Offer, Profile, Skill
from twoway.profiles.services import skill_resolve

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_profile_shows_about_you_and_each_programs_lists(client, cast):
    Offer.objects.create(
        participant=cast.alice_p, skill=skill("Budgeting"), proficiency=5, business_value="Funds"
    )
    Gap.objects.create(participant=cast.alice_p, skill=skill("AI tools"), priority=4)
    client.force_login(cast.alice)
    page = client.get("/profile/").content.decode()
    assert "Finance" in page and "Alice Example" in page
    assert "Budgeting" in page and "proficiency 5/5" in page and "Funds" in page
    assert "AI tools" in page and "priority 4/5" in page
    assert 'href="/profile/river/offers/"' in page and 'href="/profile/about/"' in page
    assert 'aria-current="page">Profile</a>' in page


def test_an_unfinished_profile_links_back_to_the_onboarding(client, cast):
    client.force_login(cast.charlie)
    page = client.get("/profile/").content.decode()
    assert "Profile unfinished" in page
    assert 'href="/welcome/river/"' in page
    assert "Add what you can offer" in page  # the empty state says what to do


def test_a_new_skill_is_marked_as_awaiting_review(client, cast):
    Offer.objects.create(
        participant=cast.alice_p,
        skill=skill_resolve(name="Tide tables", user=cast.alice),
        proficiency=3,
    )
    client.force_login(cast.alice)
    assert "new, awaiting review" in client.get("/profile/").content.decode()


def test_the_sharing_form_shows_what_exactly_is_shared(client, cast):
    client.force_login(cast.alice)
    page = client.get("/profile/").content.decode()
    assert "Department: Finance" in page
    assert "Employee resource groups: none listed" in page


def test_sharing_is_saved_with_feedback(client, cast):
    client.force_login(cast.alice)
    response = client.post("/profile/sharing/", {"shared": ["department"]}, follow=True)
    assert response.redirect_chain[-1][0] == "/profile/#sharing"
    assert "your partner now sees what you ticked" in _messages(response)[-1]
    assert Profile.objects.get(user=cast.alice).shared_with_partner == ["department"]


def test_sharing_an_unknown_part_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.alice)
    response = client.post("/profile/sharing/", {"shared": ["salary"]})
    assert response.status_code == 200
    assert response.context["sharing_form"].errors["shared"]
    assert Profile.objects.get(user=cast.alice).shared_with_partner != []


def test_a_person_without_a_profile_is_asked_to_fill_in_about_you(client, cast):
    client.force_login(UserFactory())
    page = client.get("/profile/").content.decode()
    assert "You have not told us about yourself yet" in page
    assert "You are not a participant in any program" in page


def test_editing_about_you_returns_to_the_profile(client, cast):
    client.force_login(cast.alice)
    response = client.post("/profile/about/", ABOUT_FORM, follow=True)
    assert response.redirect_chain[-1][0] == "/profile/"
    assert "are saved" in _messages(response)[-1]
    page = client.get("/profile/about/").content.decode()
    assert "Save changes" in page and "Save and continue" not in page
    assert "step 1 of 4" not in page


def test_editing_offers_returns_to_the_programs_part_of_the_profile(client, cast):
    client.force_login(cast.alice)
    response = client.post("/profile/river/offers/", rows_form("offers", [("SQL", 3, "")]))
    assert response["Location"] == "/profile/#program-river"
    assert [o.skill.name for o in cast.alice_p.offers.select_related("skill")] == ["SQL"]


def test_editing_practicalities_returns_to_the_profile(client, cast):
    client.force_login(cast.alice)
    response = client.post("/profile/river/practicalities/", PRACTICALITIES_FORM)
    assert response["Location"] == "/profile/#program-river"


def test_the_navigation_links_to_the_profile_after_home(client, cast):
    client.force_login(cast.sam)
    page = client.get("/").content.decode()
    assert page.index(">Home</a>") < page.index('href="/profile/"')


def _participant_with_rows(program, rows: int):
    user = UserFactory()
    Profile.objects.create(
        user=user, department="Ops", level=3, location="Leeds", timezone="Europe/London"
    )
    participant = ParticipantFactory(program=program, user=user)
    skills = list(Skill.objects.order_by("name")[: rows * 2])
    Offer.objects.bulk_create(
        Offer(participant=participant, skill=s, proficiency=3) for s in skills[:rows]
    )
    Gap.objects.bulk_create(
        Gap(participant=participant, skill=s, priority=3) for s in skills[rows:]
    )
    return participant


@pytest.mark.parametrize(("programs", "rows"), [(1, 2), (4, 20)])
def test_profile_page_takes_seven_queries_however_much_there_is(
    client, django_assert_num_queries, programs, rows
):
    participant = _participant_with_rows(ProgramFactory(), rows)
    for _ in range(programs - 1):
        other = ParticipantFactory(program=ProgramFactory(), user=participant.user)
        Offer.objects.bulk_create(
            Offer(participant=other, skill=s, proficiency=2) for s in Skill.objects.all()[:rows]
        )
    client.force_login(participant.user)
    # session, user, participations, offers, gaps, profile, the navigation
    with django_assert_num_queries(7):
        response = client.get("/profile/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_a_rows_step_takes_five_queries_however_many_rows(client, django_assert_num_queries, rows):
    participant = _participant_with_rows(ProgramFactory(slug="pier"), rows)
    client.force_login(participant.user)
    # session, user, participation with its completion, offers, the navigation
    with django_assert_num_queries(5):
        response = client.get("/profile/pier/offers/")
    assert len(response.context["formset"].forms) == min(rows + 1, 20)


@pytest.mark.parametrize("people", [2, 20])
def test_about_you_takes_seven_queries_however_many_colleagues(
    client, django_assert_num_queries, people
):
    participant = _participant_with_rows(ProgramFactory(slug="pier"), 1)
    for n in range(people):
        Profile.objects.create(
            user=UserFactory(),
            department=f"Dept {n}",
            level=3,
            location=f"City {n}",
            timezone="UTC",
        )
    client.force_login(participant.user)
    # session, user, participation, profile, departments, locations, the navigation
    with django_assert_num_queries(7):
        response = client.get("/welcome/pier/about/")
    assert len(response.context["departments"]) == people + 1
