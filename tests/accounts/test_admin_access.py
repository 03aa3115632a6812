"""The Django admin is for staff, and keeps private records out of it."""

import pytest
from django.contrib import admin

from twoway.pairing.models import Exit
from twoway.relationships.models import JournalEntry, Pulse

pytestmark = pytest.mark.django_db


def test_staff_admin_opens_the_admin(client, cast):
    cast.root.is_superuser = True
    cast.root.save()
    client.force_login(cast.root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/programs/program/").status_code == 200


@pytest.mark.parametrize("who", ["alice", "dana", "sam"])
def test_non_staff_are_sent_to_the_admin_sign_in(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get("/admin/programs/program/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", [JournalEntry, Pulse, Exit])
def test_private_records_are_not_in_the_admin(model):
    # Journals are for their author only; pulses and exit reasons for the author
    # and the program's coordinators. A staff admin is neither.
    assert not admin.site.is_registered(model)
