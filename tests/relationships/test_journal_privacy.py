"""Nobody but its author ever reads a journal entry: not the partner, not the
coordinators, not staff, through any page, the admin, an e-mail or a log line."""

from __future__ import annotations

import logging

import pytest
from django.contrib import admin
from django.core import mail

from tests.permissions import OUTSIDERS, assert_anonymous_sent_to_sign_in, response_as
from tests.relationships.growth_data import entry
from twoway.core.errors import NotFound
from twoway.notifications.models import Notification
from twoway.relationships.models import JournalEntry
from twoway.relationships.selectors.journal import (
    journal_entry_for_author,
    journal_page,
    revisit_suggestions,
)

pytestmark = pytest.mark.django_db

SECRET = "I worry my manager will find out I am looking elsewhere"
# Everyone but the author: the partner first, then the rest of the cast.
NOT_THE_AUTHOR = ("bob", *OUTSIDERS)


@pytest.fixture
def secret_entry(cast):
    return entry(cast.alice_p, title="Thinking of leaving", body=SECRET, pairing=cast.pairing)


def entry_urls(row) -> list[tuple[str, str]]:
    return [
        ("get", f"/journal/{row.pk}/"),
        ("get", f"/journal/{row.pk}/edit/"),
        ("post", f"/journal/{row.pk}/edit/"),
        ("get", f"/journal/{row.pk}/delete/"),
        ("post", f"/journal/{row.pk}/delete/"),
        ("post", f"/journal/{row.pk}/revisited/"),
    ]


def test_nobody_but_the_author_opens_or_changes_an_entry(client, cast, secret_entry):
    for method, url in entry_urls(secret_entry):
        data = {"title": "Changed", "body": "Overwritten"} if method == "post" else None
        for who in NOT_THE_AUTHOR:
            response = response_as(client, cast, who, url, method=method, data=data)
            assert response.status_code == 404, f"{who} got {response.status_code} for {url}"
            assert SECRET not in response.content.decode()
        assert_anonymous_sent_to_sign_in(client, url, method=method, data=data)
    secret_entry.refresh_from_db()
    assert (secret_entry.title, secret_entry.body) == ("Thinking of leaving", SECRET)


def test_the_author_opens_every_page_of_the_entry(client, cast, secret_entry):
    client.force_login(cast.alice)
    for url in (f"/journal/{secret_entry.pk}/", f"/journal/{secret_entry.pk}/edit/"):
        assert SECRET in client.get(url).content.decode()


def test_people_without_a_journal_get_not_found_for_the_journal_pages(client, cast):
    # dana, erin and sam coordinate or sponsor and root is staff: none takes part.
    for method, url in (("get", "/journal/"), ("get", "/journal/new/"), ("post", "/journal/new/")):
        data = {"body": "Not a participant"} if method == "post" else None
        for who in ("dana", "erin", "sam", "root"):
            response = response_as(client, cast, who, url, method=method, data=data)
            assert response.status_code == 404, f"{who} got {response.status_code} for {url}"
        assert_anonymous_sent_to_sign_in(client, url, method=method, data=data)
    assert not JournalEntry.objects.exists()


def test_other_participants_journals_never_show_the_entry(client, cast, secret_entry):
    for who in ("bob", "charlie"):
        for url in ("/journal/", "/journal/?q=manager", "/journal/?q=leaving"):
            page = response_as(client, cast, who, url).content.decode()
            assert SECRET not in page and "Thinking of leaving" not in page, (who, url)


def test_the_selectors_answer_only_to_the_author(cast, secret_entry):
    assert journal_entry_for_author(cast.alice, secret_entry.pk).entry == secret_entry
    for who in NOT_THE_AUTHOR:
        with pytest.raises(NotFound):
            journal_entry_for_author(getattr(cast, who), secret_entry.pk)
        assert journal_page(getattr(cast, who), query="manager").items == []
        assert revisit_suggestions(getattr(cast, who)) == []


def test_the_partners_pair_pages_never_show_the_entry(client, cast, secret_entry):
    pairing = cast.pairing.pk
    for url in (
        "/",
        f"/pairings/{pairing}/",
        f"/pairings/{pairing}/goals/",
        f"/pairings/{pairing}/pulse/",
        f"/pairings/{pairing}/endorse/",
        "/notifications/",
    ):
        page = response_as(client, cast, "bob", url).content.decode()
        assert SECRET not in page and "Thinking of leaving" not in page, url


def test_journal_entries_are_not_in_the_admin(client, cast, secret_entry):
    assert not admin.site.is_registered(JournalEntry)
    cast.root.is_superuser = True
    cast.root.save()
    client.force_login(cast.root)
    assert client.get("/admin/relationships/journalentry/").status_code == 404
    assert (
        client.get(f"/admin/relationships/journalentry/{secret_entry.pk}/change/").status_code
        == 404
    )
    index = client.get("/admin/").content.decode()
    assert "Journal entries" not in index


def test_the_admin_deleting_an_author_lists_their_entry_without_its_words(client, cast):
    # charlie is in no pairing, so the admin may delete him and lists what goes with him.
    row = entry(cast.charlie_p, title="Thinking of leaving", body=SECRET)
    cast.root.is_superuser = True
    cast.root.save()
    client.force_login(cast.root)
    page = client.get(f"/admin/accounts/user/{cast.charlie.pk}/delete/").content.decode()
    assert f"Journal entry {row.pk}" in page
    assert SECRET not in page and "Thinking of leaving" not in page


def test_writing_editing_and_deleting_never_sends_or_logs_the_words(
    client, cast, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    # E-mails leave after the commit; run those callbacks so that any e-mail is seen.
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.alice)
        client.post("/journal/new/", {"title": "Thinking of leaving", "body": SECRET})
        row = JournalEntry.objects.get()
        edited = {"title": "Still thinking", "body": SECRET + " soon"}
        client.post(f"/journal/{row.pk}/edit/", edited)
        client.get(f"/journal/{row.pk}/")
        client.post(f"/journal/{row.pk}/revisited/")
        for who in NOT_THE_AUTHOR:  # failed attempts are logged, by address only
            response_as(client, cast, who, f"/journal/{row.pk}/")
        client.force_login(cast.alice)
        client.post(f"/journal/{row.pk}/delete/")
    assert not JournalEntry.objects.exists()
    written = [m.subject + m.body for m in mail.outbox]
    written += [n.title + n.body for n in Notification.objects.all()]
    written.append(caplog.text)
    assert all(SECRET not in text and "worry my manager" not in text for text in written)
    assert all("Thinking of leaving" not in text for text in written)


def test_journal_pages_are_never_cached(client, cast, secret_entry):
    client.force_login(cast.alice)
    response = client.get(f"/journal/{secret_entry.pk}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
