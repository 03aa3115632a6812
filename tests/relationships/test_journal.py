"""The private journal: writing, editing, deleting, searching, and "Revisit"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ConversationFactory, ParticipantFactory, pairing_of, skill
from tests.relationships.growth_data import entry, gap, goal, planned_conversation
from twoway.core.errors import ActionError
from twoway.relationships.models import ConversationStatus, GoalStatus, JournalEntry
from twoway.relationships.selectors.journal import journal_page, revisit_suggestions
from twoway.relationships.services.journal import (
    journal_entry_create,
    journal_entry_update,
)

pytestmark = pytest.mark.django_db


def as_alice(client, cast):
    client.force_login(cast.alice)
    return client


# --- Writing ----------------------------------------------------------------------------


def test_participant_writes_an_entry_tagged_and_linked_to_a_conversation(client, cast):
    gap(cast.alice_p, "Data analysis")
    conversation = ConversationFactory(pairing=cast.pairing)
    response = as_alice(client, cast).post(
        "/journal/new/",
        {
            "title": "Pivot tables",
            "body": "Bob showed me how to pivot the forecast.",
            "skills": [skill("Data analysis").pk],
            "conversation": conversation.pk,
            "revisit_on": "2030-01-15",
        },
    )
    saved = JournalEntry.objects.get()
    assert response["Location"] == f"/journal/{saved.pk}/"
    assert saved.author == cast.alice_p
    assert (saved.pairing, saved.conversation) == (cast.pairing, conversation)
    assert [s.name for s in saved.skills.all()] == ["Data analysis"]
    assert str(saved.revisit_on) == "2030-01-15"
    page = client.get(response["Location"]).content.decode()
    assert "Pivot tables" in page and "Only you can read this entry; Bob cannot." in page
    assert "about your conversation with Bob" in page


def test_an_empty_entry_is_refused_next_to_the_text_and_keeps_the_title(client, cast):
    response = as_alice(client, cast).post("/journal/new/", {"title": "Half a thought"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page and 'value="Half a thought"' in page
    assert not JournalEntry.objects.exists()


def test_a_blank_entry_is_refused_by_the_service_naming_the_body(cast):
    with pytest.raises(ActionError) as refused:
        journal_entry_create(user=cast.alice, body="   ")
    assert refused.value.field == "body"
    assert not JournalEntry.objects.exists()


def test_an_entry_cannot_be_linked_to_someone_elses_conversation(cast):
    dave = ParticipantFactory(program=cast.river)
    theirs = ConversationFactory(pairing=pairing_of(cast.charlie_p, dave))
    with pytest.raises(ActionError) as refused:
        journal_entry_create(user=cast.alice, body="Snooping", conversation_id=theirs.pk)
    assert refused.value.field == "conversation"
    assert not JournalEntry.objects.exists()


def test_an_entry_cannot_be_about_someone_elses_pairing(cast):
    dave = ParticipantFactory(program=cast.river)
    theirs = pairing_of(cast.charlie_p, dave)
    with pytest.raises(ActionError) as refused:
        journal_entry_create(user=cast.alice, body="Snooping", pairing_id=theirs.pk)
    assert refused.value.field == "pairing"
    assert not JournalEntry.objects.exists()


def test_a_conversation_of_another_pairing_than_the_chosen_one_is_refused(cast):
    lake_alice = ParticipantFactory(program=cast.lake, user=cast.alice)
    lake_pairing = pairing_of(lake_alice, ParticipantFactory(program=cast.lake))
    conversation = ConversationFactory(pairing=cast.pairing)
    with pytest.raises(ActionError) as refused:
        journal_entry_create(
            user=cast.alice,
            body="Mixed up",
            pairing_id=lake_pairing.pk,
            conversation_id=conversation.pk,
        )
    assert refused.value.field == "conversation"
    assert not JournalEntry.objects.exists()


def test_only_participants_keep_a_journal(cast):
    with pytest.raises(ActionError):
        journal_entry_create(user=cast.dana, body="Coordinator thoughts")
    assert not JournalEntry.objects.exists()


def test_an_entry_can_reflect_on_a_cancelled_conversation(client, cast):
    cancelled = ConversationFactory(
        pairing=cast.pairing, status=ConversationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    form = as_alice(client, cast).get("/journal/new/").content.decode()
    assert "(cancelled)</option>" in form
    saved = journal_entry_create(user=cast.alice, body="Again", conversation_id=cancelled.pk)
    assert saved.conversation == cancelled


def test_an_entry_about_nothing_in_particular_still_belongs_to_its_author(cast):
    saved = journal_entry_create(user=cast.charlie, body="Before I am paired")
    assert saved.author == cast.charlie_p and saved.pairing is None


# --- Editing and deleting ---------------------------------------------------------------


def test_the_author_edits_an_entry_and_the_changes_show(client, cast):
    row = entry(cast.alice_p, title="Draft", body="First go", pairing=cast.pairing)
    as_alice(client, cast)
    form = client.get(f"/journal/{row.pk}/edit/").content.decode()
    assert "First go" in form
    response = client.post(
        f"/journal/{row.pk}/edit/",
        {"title": "Second go", "body": "Rewritten", "pairing": cast.pairing.pk},
    )
    assert response["Location"] == f"/journal/{row.pk}/"
    row.refresh_from_db()
    assert (row.title, row.body, row.author) == ("Second go", "Rewritten", cast.alice_p)
    assert row.updated_at > row.created_at


def test_a_failed_edit_keeps_what_was_typed_and_changes_nothing(client, cast):
    row = entry(cast.alice_p, title="Draft", body="First go")
    response = as_alice(client, cast).post(
        f"/journal/{row.pk}/edit/", {"title": "New title typed", "body": ""}
    )
    assert response.status_code == 200
    assert 'value="New title typed"' in response.content.decode()
    row.refresh_from_db()
    assert (row.title, row.body) == ("Draft", "First go")


def test_an_entry_stays_in_the_program_it_was_written_in(cast):
    lake_alice = ParticipantFactory(program=cast.lake, user=cast.alice)
    lake_pairing = pairing_of(lake_alice, ParticipantFactory(program=cast.lake))
    row = entry(cast.alice_p, body="River thoughts", pairing=cast.pairing)
    with pytest.raises(ActionError) as refused:
        journal_entry_update(
            user=cast.alice, entry_id=row.pk, body="Moved", pairing_id=lake_pairing.pk
        )
    assert refused.value.field == "pairing" and "River" in refused.value.message
    row.refresh_from_db()
    assert (row.body, row.pairing) == ("River thoughts", cast.pairing)


def test_deleting_asks_first_then_deletes(client, cast):
    row = entry(cast.alice_p, title="Let it go")
    as_alice(client, cast)
    confirm = client.get(f"/journal/{row.pk}/delete/").content.decode()
    assert "Delete “Let it go”?" in confirm and JournalEntry.objects.exists()
    response = client.post(f"/journal/{row.pk}/delete/", follow=True)
    assert "The entry is deleted." in response.content.decode()
    assert not JournalEntry.objects.exists()


# --- The list and search ----------------------------------------------------------------


def test_an_empty_journal_invites_a_first_entry(client, cast):
    page = as_alice(client, cast).get("/journal/").content.decode()
    assert "Your journal is empty." in page and "Write your first entry" in page
    assert "Only you can ever read your journal." in page


def test_search_finds_titles_texts_and_skill_tags_of_ones_own_entries_only(client, cast):
    entry(cast.alice_p, title="Forecast lesson", body="pivot")
    entry(cast.alice_p, title="Other", body="We talked about the forecast model.")
    entry(cast.alice_p, title="Tagged", body="nothing", skills=["Financial forecasting"])
    entry(cast.alice_p, title="Unrelated", body="coffee")
    entry(cast.bob_p, title="Bob's forecast", body="forecast")
    result = journal_page(cast.alice, query="forecast")
    assert sorted(item.entry.title for item in result.items) == [
        "Forecast lesson",
        "Other",
        "Tagged",
    ]
    page = as_alice(client, cast).get("/journal/?q=forecast").content.decode()
    assert "3 entries matching “forecast”" in page and "Bob&#x27;s forecast" not in page


def test_browsing_by_skill_lists_the_entries_tagged_with_it(client, cast):
    entry(cast.alice_p, title="On budgets", skills=["Budgeting"])
    entry(cast.alice_p, title="On feedback", skills=["Giving feedback"])
    page = as_alice(client, cast).get(f"/journal/?skill={skill('Budgeting').pk}")
    text = page.content.decode()
    assert "1 entry tagged Budgeting" in text
    assert "On budgets" in text and "On feedback" not in text


def test_a_search_without_results_says_so_and_offers_the_way_back(client, cast):
    entry(cast.alice_p, title="Something")
    page = as_alice(client, cast).get("/journal/?q=zebra").content.decode()
    assert "No entries match." in page and "show all your entries" in page


def test_one_journal_spans_all_the_programs_of_a_person(client, cast):
    lake_alice = ParticipantFactory(program=cast.lake, user=cast.alice)
    entry(cast.alice_p, title="In the river")
    entry(lake_alice, title="On the lake")
    titles = {item.entry.title for item in journal_page(cast.alice).items}
    assert titles == {"In the river", "On the lake"}


def test_the_journal_is_in_the_navigation_of_participants_only(client, cast):
    assert 'href="/journal/"' in as_alice(client, cast).get("/").content.decode()
    client.force_login(cast.dana)
    assert 'href="/journal/"' not in client.get("/").content.decode()


# --- Revisit ----------------------------------------------------------------------------


def test_revisit_brings_back_entries_tagged_with_the_next_conversations_skills(cast):
    planned_conversation(cast.pairing, skills=["Budgeting"], in_days=2)
    old = entry(cast.alice_p, title="Budget basics", days_ago=20, skills=["Budgeting"])
    entry(cast.alice_p, title="Untagged", days_ago=20)
    [item] = revisit_suggestions(cast.alice)
    assert item.entry == old
    [reason] = item.reasons
    assert reason.startswith("Tagged Budgeting, which you plan to cover with Bob on ")


def test_revisit_brings_back_entries_tagged_with_an_open_goals_skill(cast):
    goal(cast.pairing, cast.alice_p, "Negotiation", title="Negotiate my next contract")
    goal(cast.pairing, cast.alice_p, "Budgeting", status=GoalStatus.ACHIEVED)
    wanted = entry(cast.alice_p, days_ago=10, skills=["Negotiation"])
    entry(cast.alice_p, days_ago=10, skills=["Budgeting"])
    [item] = revisit_suggestions(cast.alice)
    assert item.entry == wanted
    assert item.reasons == [
        "Tagged Negotiation, the skill of your open goal “Negotiate my next contract”."
    ]


def test_revisit_leaves_out_this_weeks_entries_and_past_or_cancelled_conversations(cast):
    planned_conversation(cast.pairing, skills=["Budgeting"], in_days=-1)
    cancelled = planned_conversation(cast.pairing, skills=["Negotiation"], in_days=3)
    cancelled.status = ConversationStatus.CANCELLED
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    entry(cast.alice_p, days_ago=20, skills=["Budgeting", "Negotiation"])
    planned_conversation(cast.pairing, skills=["Giving feedback"], in_days=5)
    entry(cast.alice_p, days_ago=2, skills=["Giving feedback"])
    assert revisit_suggestions(cast.alice) == []


def test_an_entry_comes_back_on_its_revisit_date_until_marked_revisited(client, cast):
    today = timezone.localdate()
    due = entry(cast.alice_p, title="Before the review", revisit_on=today)
    entry(cast.alice_p, title="Not yet", revisit_on=today + timedelta(days=3))
    [item] = revisit_suggestions(cast.alice)
    assert item.entry == due and item.reasons[0].startswith("You asked to revisit it on ")
    as_alice(client, cast)
    assert "Before the review" in client.get("/journal/").content.decode()
    response = client.post(f"/journal/{due.pk}/revisited/", follow=True)
    assert "Marked as revisited." in response.content.decode()
    due.refresh_from_db()
    assert due.revisit_on is None
    assert revisit_suggestions(cast.alice) == []


def test_revisit_never_suggests_the_partners_entries(cast):
    planned_conversation(cast.pairing, skills=["Budgeting"])
    entry(cast.bob_p, days_ago=30, skills=["Budgeting"], revisit_on=timezone.localdate())
    assert revisit_suggestions(cast.alice) == []


def test_nothing_to_revisit_is_explained(client, cast):
    entry(cast.alice_p, title="Something")
    page = as_alice(client, cast).get("/journal/").content.decode()
    assert "Nothing to revisit today." in page


# --- Queries ----------------------------------------------------------------------------


def journal_with(cast, count: int) -> None:
    conversation = ConversationFactory(pairing=cast.pairing)
    planned_conversation(cast.pairing, skills=["Budgeting"])
    goal(cast.pairing, cast.alice_p, "Negotiation")
    for n in range(count):
        entry(
            cast.alice_p,
            title=f"Entry {n}",
            days_ago=10 + n,
            skills=["Budgeting", "Negotiation"],
            pairing=cast.pairing,
            conversation=conversation if n % 2 else None,
            revisit_on=timezone.localdate() if n % 3 == 0 else None,
        )


@pytest.mark.parametrize("count", [2, 20])
def test_the_journal_page_takes_the_same_queries_however_long_it_is(
    client, cast, django_assert_num_queries, count
):
    journal_with(cast, count)
    as_alice(client, cast)
    # session, user, participant?, tagged skills, count, page, its skills, next
    # conversation, its skills, open goals, suggestions, their skills, navigation
    with django_assert_num_queries(13):
        response = client.get("/journal/")
    assert response.status_code == 200
    assert response.content.decode().count('class="reasons"') == min(count, 5)


def test_a_day_to_revisit_is_a_day_still_to_come(client, cast):
    client.force_login(cast.alice)
    response = client.post("/journal/new/", {"body": "Later.", "revisit_on": "2020-01-01"})
    assert "Choose today or a day still to come." in response.content.decode()
    assert not JournalEntry.objects.exists()
