"""After a conversation each partner logs what they learned from the other: the two-way ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import exchange, skill
from tests.relationships.conversation_helpers import planned, side_of_user, started
from twoway.core.errors import ActionError, NotFound
from twoway.pairing.models import PairingStatus
from twoway.relationships.models import ConversationStatus, Exchange
from twoway.relationships.selectors.conversations import conversation_ledger
from twoway.relationships.services.exchanges import (
    Learned,
    exchange_remove,
    exchange_update,
    exchanges_log,
)

pytestmark = pytest.mark.django_db


def log(cast, conversation, *lines: Learned, who: str = "alice"):
    return exchanges_log(
        side=side_of_user(cast, who), conversation_id=conversation.pk, lines=list(lines)
    )


def test_logging_what_i_learned_names_my_partner_as_teacher_and_marks_it_held(cast):
    conversation = started(cast)
    log(
        cast,
        conversation,
        Learned("Python scripting", 5, "  Automate the month-end report  "),
        Learned("  spreadsheet   AUTOMATION ", 3),  # spacing and case do not matter
        Learned(),  # an empty row is ignored
    )
    lines = list(Exchange.objects.order_by("id"))
    assert [(e.skill.name, e.value_rating, e.note) for e in lines] == [
        ("Python scripting", 5, "Automate the month-end report"),
        ("Spreadsheet automation", 3, ""),
    ]
    assert all(
        (e.teacher, e.learner, e.logged_by) == (cast.bob_p, cast.alice_p, cast.alice_p)
        for e in lines
    )
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HELD


def test_a_skill_can_be_typed_by_one_of_its_other_names(cast):
    log(cast, started(cast), Learned("unwritten rules", 4))
    assert Exchange.objects.get().skill.name == "How things really get done"


def test_each_partner_sees_both_directions_from_their_own_side(cast):
    conversation = started(cast)
    log(cast, conversation, Learned("Python scripting", 5), who="alice")
    log(cast, conversation, Learned("Budgeting", 4, "How a forecast is built"), who="bob")
    alice_view = conversation_ledger(side_of_user(cast, "alice"), conversation)
    bob_view = conversation_ledger(side_of_user(cast, "bob"), conversation)
    assert [e.skill.name for e in alice_view.i_learned] == ["Python scripting"]
    assert [(e.skill.name, e.value_rating) for e in alice_view.partner_learned] == [
        ("Budgeting", 4)
    ]
    assert bob_view.i_learned == alice_view.partner_learned
    assert bob_view.partner_learned == alice_view.i_learned


def test_a_conversation_cannot_be_logged_before_it_starts(cast):
    conversation = planned(cast, starts_in=timedelta(minutes=5))
    with pytest.raises(ActionError, match="once the conversation has started"):
        log(cast, conversation, Learned("Budgeting", 4))
    assert not Exchange.objects.exists()
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.PLANNED


def test_a_cancelled_conversation_cannot_be_logged(cast):
    conversation = planned(cast, starts_in=-timedelta(days=1), status=ConversationStatus.CANCELLED)
    with pytest.raises(ActionError, match="cancelled"):
        log(cast, conversation, Learned("Budgeting", 4))
    assert not Exchange.objects.exists()


def test_a_closed_pairing_keeps_its_ledger_but_a_completed_one_may_log_its_last_talk(cast):
    conversation = started(cast)
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    log(cast, conversation, Learned("Budgeting", 4))
    cast.pairing.status = PairingStatus.EXITED
    cast.pairing.save()
    with pytest.raises(ActionError, match="closed"):
        log(cast, conversation, Learned("SQL", 4))
    line = Exchange.objects.get()
    with pytest.raises(ActionError, match="closed"):
        exchange_remove(
            side=side_of_user(cast), conversation_id=conversation.pk, exchange_id=line.pk
        )
    assert Exchange.objects.count() == 1


@pytest.mark.parametrize(
    ("lines", "field", "message"),
    [
        ([Learned()], None, "Add at least one thing you learned"),
        ([Learned("", 4)], "lines.0.skill", "Name the skill"),
        ([Learned("SQL", 4), Learned("x" * 81, 3)], "lines.1.skill", "under 80 characters"),
        ([Learned("Budgeting")], "lines.0.value_rating", "Rate how valuable Budgeting was"),
        ([Learned("Budgeting", 6)], "lines.0.value_rating", "from 1 to 5"),
        ([Learned("Budgeting", 0)], "lines.0.value_rating", "from 1 to 5"),
        ([Learned("SQL", 4), Learned(), Learned("sql", 5)], "lines.2.skill", "SQL twice"),
        ([Learned("SQL", 4, "n" * 2001)], "lines.0.note", "under 2,000 characters"),
    ],
)
def test_bad_lines_are_refused_naming_the_row_and_nothing_is_written(cast, lines, field, message):
    conversation = started(cast)
    with pytest.raises(ActionError, match=message) as refused:
        log(cast, conversation, *lines)
    assert refused.value.field == field
    assert not Exchange.objects.exists()
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.PLANNED


def test_a_skill_logged_before_in_the_same_conversation_is_refused_whole(cast):
    conversation = started(cast)
    log(cast, conversation, Learned("Budgeting", 4))
    with pytest.raises(ActionError, match="already logged Budgeting") as refused:
        log(cast, conversation, Learned("SQL", 5), Learned("Budgeting", 2))
    assert refused.value.field == "lines.1.skill"
    assert [e.skill.name for e in Exchange.objects.all()] == ["Budgeting"]


def test_i_change_and_remove_only_my_own_lines(cast):
    conversation = started(cast)
    mine = exchange(conversation, cast.bob_p, cast.alice_p, skill=skill("SQL"), value_rating=3)
    theirs = exchange(conversation, cast.alice_p, cast.bob_p, value_rating=5, note="Great")
    alice = side_of_user(cast, "alice")
    exchange_update(
        side=alice, conversation_id=conversation.pk, exchange_id=mine.pk, value_rating=5, note="!"
    )
    mine.refresh_from_db()
    assert (mine.value_rating, mine.note) == (5, "!")
    with pytest.raises(NotFound):
        exchange_update(
            side=alice,
            conversation_id=conversation.pk,
            exchange_id=theirs.pk,
            value_rating=1,
            note="",
        )
    with pytest.raises(NotFound):
        exchange_remove(side=alice, conversation_id=conversation.pk, exchange_id=theirs.pk)
    theirs.refresh_from_db()
    assert (theirs.value_rating, theirs.note) == (5, "Great")
    removed = exchange_remove(side=alice, conversation_id=conversation.pk, exchange_id=mine.pk)
    assert removed.name == "SQL"
    assert list(Exchange.objects.all()) == [theirs]


def test_a_changed_rating_must_stay_between_1_and_5(cast):
    conversation = started(cast)
    mine = exchange(conversation, cast.bob_p, cast.alice_p, value_rating=3)
    with pytest.raises(ActionError) as refused:
        exchange_update(
            side=side_of_user(cast),
            conversation_id=conversation.pk,
            exchange_id=mine.pk,
            value_rating=9,
            note="",
        )
    assert refused.value.field == "value_rating"
    mine.refresh_from_db()
    assert mine.value_rating == 3
