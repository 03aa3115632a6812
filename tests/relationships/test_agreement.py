"""The pair sets its agreement together; both confirm; changes make versions."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.factories import pairing_of
from tests.permissions import (
    assert_anonymous_sent_to_sign_in,
    assert_only_partners_may_open,
    assert_outsiders_get_404,
)
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification
from twoway.pairing.models import PairingStatus
from twoway.pairing.selectors import side_of
from twoway.pairing.services import pairing_exit
from twoway.relationships.models import Agreement
from twoway.relationships.services.agreements import Terms, agreement_confirm, agreement_save

pytestmark = pytest.mark.django_db

TERMS = {
    "i_teach": "How budgets are really decided",
    "partner_teaches": "Automating my reports with Python",
    "format": "long_term",
    "ends_on": "",
    "checkin_every_days": "14",
    "success_measures": "Each of us does one thing differently at work.",
    "confidentiality": "What we share stays between us.",
    "acknowledge": "on",
}


@pytest.fixture
def accepted(cast):
    """alice and bob have both accepted; their agreement is still to be set."""
    cast.pairing.status = PairingStatus.ACCEPTED
    cast.pairing.started_at = None
    cast.pairing.save()
    return cast.pairing


def save_as(client, user, pairing, **changes):
    """Post the terms as `user` writes them: Bob's "I teach" is Alice's "partner teaches"."""
    terms = dict(TERMS)
    if user.email.startswith("bob"):
        terms["i_teach"], terms["partner_teaches"] = TERMS["partner_teaches"], TERMS["i_teach"]
    client.force_login(user)
    return client.post(f"/pairings/{pairing.pk}/agreement/edit/", {**terms, **changes})


def confirm_as(client, user, pairing, version=1):
    client.force_login(user)
    url = f"/pairings/{pairing.pk}/agreement/versions/{version}/confirm/"
    return client.post(url, {"acknowledge": "on"}, follow=True)


def test_directions_are_named_by_person_not_by_letter(client, cast, accepted):
    client.force_login(cast.alice)
    page = client.get(f"/pairings/{accepted.pk}/agreement/edit/").content.decode()
    assert "What you help Bob learn" in page and "What Bob helps you learn" in page
    assert "A helps B" not in page and "B helps A" not in page and "partner A" not in page


def test_saving_confirms_for_the_writer_and_asks_the_partner(client, cast, accepted):
    response = save_as(client, cast.alice, accepted)
    assert response.status_code == 302
    agreement = Agreement.objects.get(pairing=accepted)
    alice_is_a = accepted.participant_a == cast.alice_p
    mine = agreement.objective_a_to_b if alice_is_a else agreement.objective_b_to_a
    assert mine == TERMS["i_teach"]
    assert (agreement.confirmed_by_a_at is not None) == alice_is_a
    assert (agreement.confirmed_by_b_at is not None) == (not alice_is_a)
    assert Notification.objects.filter(recipient=cast.bob, kind="agreement_changed").exists()
    client.force_login(cast.bob)
    page = client.get(f"/pairings/{accepted.pk}/agreement/").content.decode()
    # Bob reads the same terms from his side.
    assert "What Bob helps you learn" not in page
    assert "What you help Alice learn" in page
    assert "Confirm version 1" in page


def test_both_confirmations_activate_the_pairing(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    response = confirm_as(client, cast.bob, accepted)
    assert "Confirmed by both of you" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == PairingStatus.ACTIVE and accepted.started_at is not None
    assert Notification.objects.filter(recipient=cast.alice, kind="agreement_confirmed").exists()


def test_a_change_after_confirmation_makes_a_version_both_confirm_again(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    confirm_as(client, cast.bob, accepted)
    save_as(client, cast.bob, accepted, success_measures="We each run one experiment.")
    first, second = Agreement.objects.filter(pairing=accepted).order_by("version")
    assert first.confirmed_by_both and first.success_measures == TERMS["success_measures"]
    assert second.version == 2 and not second.confirmed_by_both
    client.force_login(cast.alice)
    page = client.get(f"/pairings/{accepted.pk}/agreement/").content.decode()
    assert "Changed: How you will know it worked." in page
    assert "Version 1" in page and "Version 2" in page
    confirm_as(client, cast.alice, accepted, version=2)
    second.refresh_from_db()
    assert second.confirmed_by_both


def test_a_partner_never_confirms_terms_changed_after_they_opened_them(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    # Bob opens version 1; meanwhile Alice changes her words again.
    save_as(client, cast.alice, accepted, success_measures="Clearer words.")
    response = confirm_as(client, cast.bob, accepted, version=1)
    assert "changed the agreement since you opened it" in response.content.decode()
    first, second = Agreement.objects.filter(pairing=accepted).order_by("version")
    assert not first.confirmed_by_both and not second.confirmed_by_both
    assert second.success_measures == "Clearer words."


def test_a_confirmation_that_races_a_closure_leaves_the_pairing_closed(cast, accepted):
    terms = Terms("Budgets", "Automation", "long_term", None, 14, "One change each.", "Ours.")
    agreement_save(side=side_of(accepted, cast.alice), terms=terms)
    bob = side_of(accepted, cast.bob)  # Bob's page was loaded while the pairing was open
    pairing_exit(side=side_of(accepted, cast.alice), reason="fit")
    with pytest.raises(ActionError, match="not open"):
        agreement_confirm(side=bob, version=1)
    accepted.refresh_from_db()
    assert accepted.status == PairingStatus.EXITED


def test_confirming_a_version_that_changed_meanwhile_is_refused(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    confirm_as(client, cast.bob, accepted)
    save_as(client, cast.alice, accepted, format="few_weeks")
    response = confirm_as(client, cast.bob, accepted, version=1)
    assert "changed the agreement since you opened it" in response.content.decode()
    assert not Agreement.objects.get(pairing=accepted, version=2).confirmed_by_both


def test_confirmation_needs_the_confidentiality_acknowledgement(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    client.force_login(cast.bob)
    url = f"/pairings/{accepted.pk}/agreement/versions/1/confirm/"
    response = client.post(url, {}, follow=True)
    assert "Tick this to confirm" in response.content.decode()
    assert not Agreement.objects.get(pairing=accepted).confirmed_by_both


def test_bad_terms_are_shown_next_to_the_field_and_nothing_is_saved(client, cast, accepted):
    response = save_as(
        client, cast.alice, accepted, format="", i_teach="", ends_on="2020-01-01", acknowledge=""
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"format", "i_teach", "acknowledge"}
    assert TERMS["partner_teaches"] in response.content.decode()  # what was typed stays
    assert not Agreement.objects.exists()


def test_an_end_date_after_the_program_ends_is_refused(client, cast, accepted):
    late = date(cast.river.ends_on.year + 1, 1, 1).isoformat()
    response = save_as(client, cast.alice, accepted, ends_on=late)
    assert "The program ends on" in str(response.context["form"].errors["ends_on"])
    assert not Agreement.objects.exists()


def test_a_version_both_confirmed_cannot_be_edited_in_place(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    confirm_as(client, cast.bob, accepted)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pairing=accepted).update(objective_a_to_b="Rewritten history")


def test_only_the_partners_open_or_change_the_agreement(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    for url in (
        f"/pairings/{accepted.pk}/agreement/",
        f"/pairings/{accepted.pk}/agreement/edit/",
        f"/pairings/{accepted.pk}/agreement/versions/1/",
    ):
        assert_only_partners_may_open(client, cast, url)
    confirm = f"/pairings/{accepted.pk}/agreement/versions/1/confirm/"
    assert_outsiders_get_404(client, cast, confirm, method="post", data={"acknowledge": "on"})
    edit = f"/pairings/{accepted.pk}/agreement/edit/"
    assert_outsiders_get_404(client, cast, edit, method="post", data=TERMS)
    assert_anonymous_sent_to_sign_in(client, confirm, method="post")
    agreement = Agreement.objects.get()
    assert not agreement.confirmed_by_both and agreement.version == 1


def test_an_ended_pairing_keeps_its_agreement_readable_but_fixed(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    accepted.status = PairingStatus.COMPLETED
    accepted.save()
    client.force_login(cast.bob)
    assert client.get(f"/pairings/{accepted.pk}/agreement/").status_code == 200
    response = confirm_as(client, cast.bob, accepted)
    assert "not open" in response.content.decode()
    response = save_as(client, cast.bob, accepted)
    assert "not open" in response.content.decode()


AGREEMENT_PAGE_QUERIES = 6  # session, user, pairing, all versions, pulse due (tab badge),
# the navigation (unread count, has a journal)


def test_the_agreement_page_reads_in_constant_queries(
    client, cast, accepted, django_assert_num_queries
):
    save_as(client, cast.alice, accepted)
    client.force_login(cast.bob)
    url = f"/pairings/{accepted.pk}/agreement/"
    with django_assert_num_queries(AGREEMENT_PAGE_QUERIES):
        client.get(url)
    for n in range(2, 12):
        save_as(client, cast.alice if n % 2 else cast.bob, accepted, success_measures=f"v{n}")
        confirm_as(client, cast.bob if n % 2 else cast.alice, accepted, version=n)
    client.force_login(cast.bob)
    with django_assert_num_queries(AGREEMENT_PAGE_QUERIES):
        client.get(url)
    assert Agreement.objects.filter(pairing=accepted).count() == 11


def test_a_second_pairing_of_the_same_pair_starts_a_fresh_agreement(client, cast, accepted):
    save_as(client, cast.alice, accepted)
    accepted.status = PairingStatus.COMPLETED
    accepted.save()
    again = pairing_of(cast.alice_p, cast.bob_p, status=PairingStatus.ACCEPTED, started_at=None)
    client.force_login(cast.bob)
    page = client.get(f"/pairings/{again.pk}/agreement/").content.decode()
    assert "You have not set your agreement yet" in page


def test_changing_the_agreement_starts_from_its_end_date_in_the_pickers_format(
    client, cast, accepted
):
    save_as(client, cast.alice, accepted, ends_on="2026-12-31")
    client.force_login(cast.alice)
    page = client.get(f"/pairings/{accepted.pk}/agreement/edit/").content.decode()
    # The browser's date picker reads only ISO dates; a local format would show it empty.
    assert 'type="date"' in page and 'value="2026-12-31"' in page
