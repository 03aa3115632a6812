"""The program's team: coordinators and sponsors, granted and removed with an audit trail."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.programs.helpers import assert_only_coordinators_may_open
from twoway.core.errors import ActionError, NotFound
from twoway.notifications.models import Notification, NotificationKind
from twoway.programs.models import AuditAction, AuditEvent
from twoway.programs.setup_services import Role, program_role_grant, program_role_revoke

pytestmark = pytest.mark.django_db


def team_url(program):
    return reverse("programs:team", args=[program.slug])


def test_granting_a_role_is_audited_and_the_person_is_told(cast):
    program_role_grant(program=cast.river, by=cast.dana, user=cast.erin, role=Role.COORDINATOR)
    assert cast.river.coordinators.filter(pk=cast.erin.pk).exists()
    event = AuditEvent.objects.get(program=cast.river)
    assert (event.action, event.actor, event.subject) == (
        AuditAction.COORDINATOR_ADDED,
        cast.dana,
        cast.erin,
    )
    note = Notification.objects.get(recipient=cast.erin)
    assert note.kind == NotificationKind.ROLE_GRANTED
    assert note.link == reverse("programs:overview", args=["river"])


def test_a_sponsor_grant_and_removal_are_both_audited(cast):
    program_role_grant(program=cast.river, by=cast.dana, user=cast.alice, role=Role.SPONSOR)
    program_role_revoke(program=cast.river, by=cast.dana, user=cast.alice, role=Role.SPONSOR)
    actions = list(AuditEvent.objects.filter(program=cast.river).values_list("action", flat=True))
    assert actions == [AuditAction.SPONSOR_REMOVED, AuditAction.SPONSOR_ADDED]
    assert not cast.river.sponsors.filter(pk=cast.alice.pk).exists()


def test_granting_a_role_someone_already_has_is_refused(cast):
    with pytest.raises(ActionError, match="already a sponsor"):
        program_role_grant(program=cast.river, by=cast.dana, user=cast.sam, role=Role.SPONSOR)


def test_the_last_coordinator_cannot_be_removed(cast):
    with pytest.raises(ActionError, match="at least one coordinator"):
        program_role_revoke(program=cast.river, by=cast.dana, user=cast.dana, role=Role.COORDINATOR)
    assert cast.river.coordinators.filter(pk=cast.dana.pk).exists()
    assert not AuditEvent.objects.exists()


def test_only_the_programs_coordinators_may_grant_roles(cast):
    for who in (cast.erin, cast.sam, cast.root):
        with pytest.raises(NotFound):
            program_role_grant(program=cast.river, by=who, user=who, role=Role.COORDINATOR)
    assert list(cast.river.coordinators.all()) == [cast.dana]


def test_the_team_page_adds_by_email(client, cast):
    client.force_login(cast.dana)
    response = client.post(team_url(cast.river), {"email": "ERIN@example.org", "role": "sponsor"})
    assert response.status_code == 302
    assert cast.river.sponsors.filter(pk=cast.erin.pk).exists()


def test_an_email_without_an_account_is_refused_on_the_email_field(client, cast):
    client.force_login(cast.dana)
    response = client.post(
        team_url(cast.river), {"email": "nobody@example.org", "role": "coordinator"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "No account uses nobody@example.org. Invite them, or check the address."
    ]


def test_the_team_page_removes_and_refuses_to_remove_the_last_coordinator(client, cast):
    client.force_login(cast.dana)
    remove_sam = reverse("programs:team-remove", args=["river", "sponsor", cast.sam.pk])
    client.post(remove_sam)
    assert not cast.river.sponsors.exists()
    remove_dana = reverse("programs:team-remove", args=["river", "coordinator", cast.dana.pk])
    response = client.post(remove_dana, follow=True)
    assert "at least one coordinator" in response.content.decode()
    assert cast.river.coordinators.filter(pk=cast.dana.pk).exists()


def test_removing_someone_without_the_role_is_404(client, cast):
    client.force_login(cast.dana)
    url = reverse("programs:team-remove", args=["river", "sponsor", cast.alice.pk])
    assert client.post(url).status_code == 404


def test_only_coordinators_may_open_the_team_page_or_change_the_team(client, cast):
    assert_only_coordinators_may_open(client, cast, team_url(cast.river))
    remove_sam = reverse("programs:team-remove", args=["river", "sponsor", cast.sam.pk])
    for who in ("erin", "sam", "root", "alice"):
        client.force_login(getattr(cast, who))
        assert client.post(remove_sam).status_code == 404
        response = client.post(team_url(cast.river), {"email": f"{who}@example.org"})
        assert response.status_code == 404
    assert cast.river.sponsors.filter(pk=cast.sam.pk).exists()


def test_the_team_page_shows_the_audit_log(client, cast):
    program_role_grant(program=cast.river, by=cast.dana, user=cast.erin, role=Role.SPONSOR)
    client.force_login(cast.dana)
    text = client.get(team_url(cast.river)).content.decode()
    assert "Sponsor added" in text and "Erin Example" in text


def test_the_team_page_runs_a_fixed_number_of_queries_however_long_the_log(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.dana)
    client.get(team_url(cast.river))
    # session, user, program, coordinators, sponsors, audit log, the navigation
    with django_assert_num_queries(TEAM_QUERIES):
        client.get(team_url(cast.river))
    for _ in range(5):
        program_role_grant(program=cast.river, by=cast.dana, user=UserFactory(), role=Role.SPONSOR)
    with django_assert_num_queries(TEAM_QUERIES):
        client.get(team_url(cast.river))


TEAM_QUERIES = 7


# --- the Django admin ------------------------------------------------------------------


def _admin_change(client, cast, program, *, coordinators, sponsors):
    cast.root.is_superuser = True
    cast.root.save(update_fields=["is_superuser"])
    url = reverse("admin:programs_program_change", args=[program.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data["coordinators"] = [user.pk for user in coordinators]
    data["sponsors"] = [user.pk for user in sponsors]
    data["rules"] = '{"min_level_gap": 0}'
    created = data.pop("created_at")
    data |= {"created_at_0": created.date(), "created_at_1": created.time().replace(microsecond=0)}
    return client.post(url, data)


def test_staff_is_not_a_coordinator_until_added(client, cast):
    client.force_login(cast.root)
    assert client.get(reverse("programs:setup", args=["river"])).status_code == 404


def test_staff_adding_themselves_through_the_admin_leaves_an_audit_record(client, cast):
    client.force_login(cast.root)
    response = _admin_change(
        client, cast, cast.river, coordinators=[cast.dana, cast.root], sponsors=[]
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    events = AuditEvent.objects.filter(program=cast.river, actor=cast.root)
    assert {(e.action, e.subject_id) for e in events} == {
        (AuditAction.COORDINATOR_ADDED, cast.root.pk),
        (AuditAction.SPONSOR_REMOVED, cast.sam.pk),
    }
    assert client.get(reverse("programs:setup", args=["river"])).status_code == 200


def test_the_admin_refuses_to_leave_a_program_without_coordinators(client, cast):
    client.force_login(cast.root)
    response = _admin_change(client, cast, cast.river, coordinators=[], sponsors=[cast.sam])
    assert response.status_code == 200
    assert cast.river.coordinators.filter(pk=cast.dana.pk).exists()
    assert not AuditEvent.objects.exists()
