"""CSV import of participants: every row checked, every problem named, all rows or none."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import ParticipantFactory, ProfileFactory, UserFactory
from tests.permissions import response_as
from twoway.accounts.models import Invitation, User
from twoway.notifications.models import Notification, NotificationKind
from twoway.profiles.models import Profile
from twoway.programs import imports
from twoway.programs.imports import (
    import_check,
    import_commit,
    import_template_csv,
    import_upload,
    import_validate,
)
from twoway.programs.models import ImportBatch, ImportStatus, Participant, ParticipantStatus

pytestmark = pytest.mark.django_db

HEADER = (
    "email,full_name,department,job_title,level,manager_email,location,timezone,languages,hired_on"
)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def row(email="new@example.org", name="New Person", **cells) -> str:
    values = {
        "department": "Sales",
        "job_title": "Analyst",
        "level": "3",
        "manager_email": "",
        "location": "Leeds",
        "timezone": "Europe/London",
        "languages": "English;French",
        "hired_on": "2020-02-03",
        **cells,
    }
    return ",".join([email, name, *values.values()])


def problems_of(cast, text: str) -> list[str]:
    return [imports.problem_text(p) for p in import_check(cast.river, text).problems]


def batch_of(cast, text: str, *, validate: bool = True) -> ImportBatch:
    batch = ImportBatch.objects.create(
        program=cast.river, uploaded_by=cast.dana, filename="people.csv", csv_text=text
    )
    return import_validate(batch=batch) if validate else batch


# --- Every validation case, named by row and column --------------------------------------


def test_a_clean_file_has_no_problems_and_counts_new_and_existing_accounts(cast):
    UserFactory(email="known@example.org")
    checked = import_check(cast.river, csv_of(row(), row("known@example.org", "Known One")))
    assert checked.problems == []
    assert checked.summary() == {"new_accounts": 1, "existing_accounts": 1, "profiles_kept": 0}


def test_a_bad_e_mail_is_named_by_row_and_column(cast):
    assert problems_of(cast, csv_of(row(), row("not-an-address"))) == [
        "row 3, column email: 'not-an-address' is not an e-mail address"
    ]


def test_a_duplicate_e_mail_names_the_first_row_too(cast):
    text = csv_of(row("a@example.org"), row("b@example.org"), row("A@example.org"))
    assert problems_of(cast, text) == ["row 4, column email: a@example.org is also on row 2"]


def test_someone_already_enrolled_is_a_problem(cast):
    assert problems_of(cast, csv_of(row("alice@example.org", "Alice"))) == [
        "row 2, column email: alice@example.org is already enrolled in River"
    ]


def test_an_unknown_manager_is_a_problem_but_one_in_the_file_or_with_an_account_is_not(cast):
    text = csv_of(
        row("a@example.org", manager_email="b@example.org"),
        row("b@example.org", manager_email="dana@example.org"),
        row("c@example.org", manager_email="ghost@example.org"),
    )
    assert problems_of(cast, text) == [
        "row 4, column manager_email: ghost@example.org is neither in this file "
        "nor an existing account"
    ]


def test_nobody_can_be_their_own_manager(cast):
    assert problems_of(cast, csv_of(row("a@example.org", manager_email="a@example.org"))) == [
        "row 2, column manager_email: a person cannot be their own manager"
    ]


@pytest.mark.parametrize("level", ["0", "11", "three", "2.5", "-1"])
def test_a_bad_level_is_a_problem(cast, level):
    assert problems_of(cast, csv_of(row(level=level))) == [
        f"row 2, column level: '{level}' is not a whole number from 1 to 10"
    ]


def test_a_bad_timezone_is_a_problem(cast):
    assert problems_of(cast, csv_of(row(timezone="Mars/Olympus"))) == [
        "row 2, column timezone: 'Mars/Olympus' is not an IANA timezone, e.g. Europe/London"
    ]


@pytest.mark.parametrize("value", ["03/02/2020", "2020-13-01", "20200203", "soon"])
def test_a_bad_date_is_a_problem(cast, value):
    assert problems_of(cast, csv_of(row(hired_on=value))) == [
        f"row 2, column hired_on: '{value}' is not a date written YYYY-MM-DD"
    ]


def test_a_hiring_date_in_the_future_is_a_problem(cast):
    assert problems_of(cast, csv_of(row(hired_on="2999-01-01"))) == [
        "row 2, column hired_on: 2999-01-01 is in the future"
    ]


def test_an_unknown_column_is_named_in_the_header_row(cast):
    text = csv_of(row() + ",x", header=HEADER + ",shoe_size")
    assert problems_of(cast, text)[0].startswith(
        "row 1, column shoe_size: unknown column; the columns are email, full_name"
    )


def test_a_missing_required_column_is_named(cast):
    header = HEADER.replace("department,", "")
    text = csv_of("a@example.org,Ann,Analyst,3,,Leeds,UTC,English,", header=header)
    assert problems_of(cast, text) == ["row 1, column department: this required column is missing"]


def test_a_short_row_names_the_first_missing_column(cast):
    assert problems_of(cast, csv_of(row(), "b@example.org,Bea,Sales,Analyst,3")) == [
        "row 3, column manager_email: the row is short: 5 cells, the header has 10"
    ]


def test_a_long_row_is_a_problem_but_trailing_empty_cells_are_not(cast):
    text = csv_of(row("a@example.org") + ",,", row("b@example.org") + ",surprise")
    assert problems_of(cast, text) == [
        "row 3, column 11: the row is long: 11 cells, the header has 10"
    ]


def test_empty_required_cells_are_each_named(cast):
    assert problems_of(cast, csv_of(row("a@example.org", "", department="", level=""))) == [
        "row 2, column full_name: required, but empty",
        "row 2, column department: required, but empty",
        "row 2, column level: required, but empty",
    ]


def test_every_problem_of_every_row_is_listed_in_row_order(cast):
    text = csv_of(
        row("bad-1", level="99"),
        row(),
        row("bad-2", timezone="Nowhere"),
        row("alice@example.org"),
    )
    assert problems_of(cast, text) == [
        "row 2, column email: 'bad-1' is not an e-mail address",
        "row 2, column level: '99' is not a whole number from 1 to 10",
        "row 4, column email: 'bad-2' is not an e-mail address",
        "row 4, column timezone: 'Nowhere' is not an IANA timezone, e.g. Europe/London",
        "row 5, column email: alice@example.org is already enrolled in River",
    ]


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_number(cast):
    text = csv_of(row("a@example.org"), "", row("oops"))
    assert problems_of(cast, text) == ["row 4, column email: 'oops' is not an e-mail address"]


def test_a_header_without_people_is_a_problem(cast):
    assert problems_of(cast, csv_of()) == [
        "row 2, column (all): the file has a header but no people"
    ]


# --- Upload ----------------------------------------------------------------------------------


def test_a_file_with_a_byte_order_mark_is_read(cast):
    content = ("\ufeff" + csv_of(row())).encode("utf-8")
    batch = import_upload(
        program=cast.river, uploaded_by=cast.dana, filename="hr.csv", content=content
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY
    assert batch.problems == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("email\nzoë@example.org\n".encode("latin-1"), "The file is not UTF-8 text"),
        (b"x" * (imports.MAX_UPLOAD_BYTES + 1), "the limit is 5 MB"),
    ],
)
def test_an_unreadable_upload_is_refused_with_a_reason_and_stores_nothing(
    client, cast, content, message
):
    client.force_login(cast.dana)
    response = client.post(
        reverse("programs:import-upload", args=["river"]),
        {"file": SimpleUploadedFile("hr.csv", content or b" ")} if content else {},
    )
    assert response.status_code == 200
    if content:
        assert message in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_upload_checks_in_the_background_and_shows_every_problem(client, cast):
    client.force_login(cast.dana)
    content = csv_of(row("a@example.org"), row("a@example.org")).encode()
    response = client.post(
        reverse("programs:import-upload", args=["river"]),
        {"file": SimpleUploadedFile("hr.csv", content, content_type="text/csv")},
        follow=True,
    )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    assert (batch.rows_total, batch.rows_checked, batch.uploaded_by) == (2, 2, cast.dana)
    text = response.content.decode()
    assert "row 3, column email: a@example.org is also on row 2" in text
    assert "Upload a corrected file" in text
    assert "Import 2 people" not in text


# --- All or nothing ---------------------------------------------------------------------------


def test_the_template_itself_imports_cleanly_and_creates_everything(cast, mailoutbox):
    batch = batch_of(cast, import_template_csv())
    assert batch.status == ImportStatus.READY, batch.problems
    assert batch.summary == {"new_accounts": 2, "existing_accounts": 0, "profiles_kept": 0}
    import_commit(batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_saved) == (ImportStatus.DONE, 2)
    ana, sam = (
        User.objects.get(email="ana.lima@example.org"),
        User.objects.get(email="sam.okafor@example.org"),
    )
    assert not ana.has_usable_password()
    assert sam.profile.manager == ana
    assert sam.profile.level == 2 and sam.profile.timezone == "Africa/Lagos"
    assert ana.profile.languages == ["English", "Portuguese"]
    assert str(ana.profile.hired_on) == "2011-03-14"
    assert Participant.objects.filter(program=cast.river, user__in=[ana, sam]).count() == 2
    assert Invitation.objects.filter(program=cast.river).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [ana.email, sam.email]
    assert Notification.objects.filter(
        recipient=cast.dana, kind=NotificationKind.IMPORT_FINISHED
    ).exists()


def test_existing_accounts_are_enrolled_and_keep_their_profile(cast):
    withdrawn = ParticipantFactory(
        program=cast.river,
        user=ProfileFactory(department="Legal").user,
        status=ParticipantStatus.WITHDRAWN,
    )
    no_profile = UserFactory(email="fresh@example.org")
    text = csv_of(row(withdrawn.user.email, department="Sales"), row(no_profile.email))
    batch = import_commit(batch=batch_of(cast, text))
    assert batch.status == ImportStatus.DONE
    withdrawn.refresh_from_db()
    assert withdrawn.status == ParticipantStatus.ENROLLED
    assert withdrawn.user.profile.department == "Legal"
    assert Profile.objects.get(user=no_profile).department == "Sales"
    assert not Invitation.objects.exists()


def test_a_failure_on_row_k_leaves_nothing_behind_and_the_batch_says_why(
    cast, monkeypatch, mailoutbox
):
    text = csv_of(*(row(f"p{n}@example.org", f"Person {n}") for n in range(10)))
    batch = batch_of(cast, text)
    users_before, profiles_before = User.objects.count(), Profile.objects.count()
    build = imports._profile_for

    def fail_on_row_7(person, user_ids):
        if person.row == 7:
            raise RuntimeError("profile refused on row 7")
        return build(person, user_ids)

    monkeypatch.setattr(imports, "_profile_for", fail_on_row_7)
    import_commit(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.rows_saved == 0
    assert "Nothing was saved" in batch.summary["error"]
    assert "row 7" in batch.summary["error"]
    assert User.objects.count() == users_before
    assert Profile.objects.count() == profiles_before
    assert not Participant.objects.filter(user__email__startswith="p").exists()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_a_file_that_became_wrong_since_the_check_saves_nothing(cast):
    batch = batch_of(cast, csv_of(row("late@example.org"), row("other@example.org")))
    ParticipantFactory(program=cast.river, user=UserFactory(email="late@example.org"))
    import_commit(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "late@example.org is already enrolled" in batch.summary["error"]
    assert not User.objects.filter(email="other@example.org").exists()


def test_an_imported_person_chooses_a_password_through_the_invitation(client, cast, mailoutbox):
    import_commit(batch=batch_of(cast, csv_of(row("newbie@example.org", "New Bie"))))
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    path = link[link.index("/accounts/") :].strip()
    page = client.get(path)
    assert page.status_code == 200
    assert page.context["form"].initial["full_name"] == "New Bie"
    response = client.post(
        path,
        {
            "full_name": "New Bie",
            "password1": "a long pass phrase",
            "password2": "a long pass phrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="newbie@example.org")
    assert user.has_usable_password()
    assert user.check_password("a long pass phrase")


# --- The pages ----------------------------------------------------------------------------------


def test_the_preview_offers_to_import_and_saving_enrols_everyone(client, cast):
    batch = batch_of(cast, csv_of(row("a@example.org"), row("b@example.org")))
    client.force_login(cast.dana)
    page = client.get(reverse("programs:import", args=["river", batch.pk]))
    assert "Import 2 people" in page.content.decode()
    response = client.post(reverse("programs:import-save", args=["river", batch.pk]), follow=True)
    assert "Saving 2 people…" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert "2 people are enrolled" in response.content.decode()


def test_a_batch_with_problems_cannot_be_saved(client, cast):
    batch = batch_of(cast, csv_of(row("bad")))
    client.force_login(cast.dana)
    response = client.post(reverse("programs:import-save", args=["river", batch.pk]), follow=True)
    assert "not ready to save" in response.content.decode()
    assert not User.objects.filter(email="bad").exists()


def test_a_batch_is_saved_once_even_when_the_button_is_pressed_twice(client, cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    batch = batch_of(cast, csv_of(row()))
    client.force_login(cast.dana)
    url = reverse("programs:import-save", args=["river", batch.pk])
    client.post(url)
    second = client.post(url, follow=True)
    assert "not ready to save" in second.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SAVING


def test_the_progress_fragment_polls_while_checking_and_stops_when_done(client, cast):
    batch = batch_of(cast, csv_of(row()), validate=False)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_total=1000, rows_checked=500)
    client.force_login(cast.dana)
    url = reverse("programs:import-progress", args=["river", batch.pk])
    fragment = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress id="import-progress" max="1000" value="500">' in fragment
    assert "Checking the rows: 500 of 1000" in fragment
    import_validate(batch=batch)
    finished = client.get(url).content.decode()
    assert "hx-trigger" not in finished
    assert "Import 1 person" in finished


def test_saving_shows_a_bar_with_the_number_of_people(client, cast):
    batch = batch_of(cast, csv_of(row("a@example.org"), row("b@example.org")))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.SAVING)
    client.force_login(cast.dana)
    fragment = client.get(reverse("programs:import-progress", args=["river", batch.pk]))
    assert "Saving 2 people…" in fragment.content.decode()
    assert 'hx-trigger="every 1s"' in fragment.content.decode()


def test_many_problems_are_offered_as_a_csv_of_every_one(client, cast):
    batch = batch_of(cast, csv_of(*(row(f"bad{n}") for n in range(imports.PROBLEMS_SHOWN + 5))))
    client.force_login(cast.dana)
    page = client.get(reverse("programs:import", args=["river", batch.pk])).content.decode()
    assert "… and 5 more." in page
    download = client.get(reverse("programs:import-problems", args=["river", batch.pk]))
    lines = download.content.decode().splitlines()
    assert lines[0] == "row,column,problem"
    assert len(lines) == imports.PROBLEMS_SHOWN + 6


def test_the_template_downloads_with_a_header_and_two_examples(client, cast):
    client.force_login(cast.dana)
    response = client.get(reverse("programs:import-template", args=["river"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 3


# --- Who may see and save a batch ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "erin", "sam", "root"])
def test_only_the_programs_coordinators_open_its_import_pages(client, cast, who):
    batch = batch_of(cast, csv_of(row()))
    urls = [
        reverse("programs:import-upload", args=["river"]),
        reverse("programs:import-template", args=["river"]),
        reverse("programs:import", args=["river", batch.pk]),
        reverse("programs:import-progress", args=["river", batch.pk]),
        reverse("programs:import-problems", args=["river", batch.pk]),
    ]
    for url in urls:
        assert response_as(client, cast, who, url).status_code == 404, url
    save = reverse("programs:import-save", args=["river", batch.pk])
    assert response_as(client, cast, who, save, method="post").status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY


def test_anonymous_visitors_are_sent_to_sign_in_from_the_import_pages(client, cast):
    response = client.get(reverse("programs:import-upload", args=["river"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_coordinator_of_another_program_cannot_reach_the_batch_through_their_own(client, cast):
    batch = batch_of(cast, csv_of(row()))
    client.force_login(cast.erin)
    for name in ("programs:import", "programs:import-progress", "programs:import-problems"):
        assert client.get(reverse(name, args=["lake", batch.pk])).status_code == 404
    assert client.post(reverse("programs:import-save", args=["lake", batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_coordinator_opens_the_upload_page(client, cast):
    client.force_login(cast.dana)
    response = client.get(reverse("programs:import-upload", args=["river"]))
    assert response.status_code == 200
    assert "the template" in response.content.decode()


def test_the_problems_csv_keeps_what_the_file_said_as_text_not_formulas(client, cast):
    header = HEADER + ',=HYPERLINK("http://evil.example")'
    twice = row("-2+3@example.org") + ","
    batch = batch_of(cast, csv_of(twice, twice, header=header))
    client.force_login(cast.dana)
    download = client.get(reverse("programs:import-problems", args=["river", batch.pk]))
    lines = list(csv.reader(io.StringIO(download.content.decode())))[1:]
    assert lines[0][1] == '\'=hyperlink("http://evil.example")'
    assert lines[-1][2].startswith("'-2+3@example.org is also on row 2")
    assert download["Cache-Control"] == "private, no-store"


# --- Addresses are one account whatever their capitals -------------------------------------


def test_an_account_stored_with_capitals_is_found_and_enrolled_not_created_again(cast):
    ana = UserFactory(email="ana@example.org")
    User.objects.filter(pk=ana.pk).update(email="Ana.Lima@Example.org")  # an older account
    checked = import_check(cast.river, csv_of(row("ana.lima@example.org", "Ana Lima")))
    assert checked.summary()["existing_accounts"] == 1

    batch = import_commit(batch=batch_of(cast, csv_of(row("ana.lima@example.org", "Ana Lima"))))

    assert batch.status == ImportStatus.DONE
    assert User.objects.filter(email__iexact="ana.lima@example.org").count() == 1
    assert Participant.objects.filter(program=cast.river, user=ana).exists()


def test_someone_enrolled_under_an_address_with_capitals_is_already_enrolled(cast):
    User.objects.filter(pk=cast.alice.pk).update(email="Alice@Example.org")
    assert problems_of(cast, csv_of(row("alice@example.org"))) == [
        "row 2, column email: alice@example.org is already enrolled in River"
    ]


def test_a_clash_with_a_save_at_the_same_moment_is_told_in_words_not_as_a_database_error(
    cast, monkeypatch
):
    batch = batch_of(cast, csv_of(row("late@example.org")))
    original = imports._save

    def someone_else_first(batch, checked):
        UserFactory(email="late@example.org")  # created between the check and the save
        return original(batch, checked)

    monkeypatch.setattr(imports, "_save", someone_else_first)
    import_commit(batch=batch)
    batch.refresh_from_db()

    assert batch.status == ImportStatus.FAILED
    error = batch.summary["error"]
    assert "IntegrityError" not in error and "UNIQUE" not in error.upper()
    assert error.startswith("Nothing was saved: someone was given an account or a place")


def test_a_check_nobody_picks_up_says_the_worker_may_not_be_running(client, cast):
    batch = batch_of(cast, csv_of(row()), validate=False)
    client.force_login(cast.dana)
    url = reverse("programs:import-progress", args=["river", batch.pk])
    assert "may not be running" not in client.get(url).content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=batch.created_at - timedelta(minutes=2)
    )
    assert "the background worker may not be running" in client.get(url).content.decode()
