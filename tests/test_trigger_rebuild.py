"""Later migrations of trigger-guarded tables keep every rule in force.

SQLite rebuilds a table for most changes (a new CHECK, a changed column); a
rebuild used to break the migration ("error in trigger ...: no such table") and
would silently drop the table's own triggers. These tests run such a migration
after the triggers exist, on SQLite and PostgreSQL alike, and then show each
rule still rejecting its bad write.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, migrations, models, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.violations import VIOLATIONS, trigger_catalogue
from twoway.core.triggers import CreateTriggers, TriggerRule, immutable_rule
from twoway.pairing.models import PairingStatus

pytestmark = pytest.mark.django_db(transaction=True)

GUARDED_MODELS = [
    ("programs", "program"),
    ("programs", "participant"),
    ("pairing", "pairing"),
    ("pairing", "exit"),
    ("pairing", "decline"),
    ("relationships", "agreement"),
    ("relationships", "conversation"),
    ("relationships", "exchange"),
    ("relationships", "journalentry"),
    ("relationships", "goal"),
    ("relationships", "goalcheckin"),
    ("relationships", "pulse"),
    ("relationships", "endorsement"),
    ("relationships", "promptuse"),
]


def _apply(app_label: str, operations: list) -> None:
    """Apply a migration made of `operations` on top of the current project state."""
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(executor.loader.graph.leaf_nodes())
    migration = migrations.Migration("test_rebuild", app_label)
    migration.operations = operations
    with connection.schema_editor(atomic=True) as editor:
        migration.apply(state, editor)


def _rebuild_every_guarded_table() -> None:
    # Adding and removing a CHECK makes SQLite rebuild the table, twice.
    for app_label, model_name in GUARDED_MODELS:
        probe = models.CheckConstraint(condition=models.Q(pk__gte=0), name=f"{model_name}_probe")
        _apply(
            app_label,
            [
                migrations.AddConstraint(model_name=model_name, constraint=probe),
                migrations.RemoveConstraint(model_name=model_name, name=probe.name),
            ],
        )


@pytest.fixture(scope="module")
def rebuilt(django_db_setup, django_db_blocker):
    """The trigger catalogue from before the rebuild; the rebuild runs once per module.

    The schema ends as it began (each probe is added, then removed), so the
    tests after this module see the database they expect.
    """
    with django_db_blocker.unblock():
        before = trigger_catalogue()
        _rebuild_every_guarded_table()
    return before


def test_a_rebuild_keeps_every_trigger_exactly_as_it_was(rebuilt):
    assert trigger_catalogue() == rebuilt


def _status_check(choices: list[str]) -> list:
    return [
        migrations.RemoveConstraint(model_name="pairing", name="pairing_status_valid"),
        migrations.AddConstraint(
            model_name="pairing",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=choices), name="pairing_status_valid"
            ),
        ),
    ]


def test_a_status_choice_added_later_migrates_and_keeps_the_capacity_rule(cast, rebuilt):
    # The change that first exposed the problem: a new choice alters the CHECK on status.
    _apply("pairing", _status_check([*PairingStatus.values, "paused"]))
    try:
        with pytest.raises(IntegrityError, match="pairing_within_capacity"), transaction.atomic():
            VIOLATIONS["pairing_within_capacity"](cast)
        assert trigger_catalogue() == rebuilt
    finally:
        _apply("pairing", _status_check(PairingStatus.values))


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_rule_still_rejects_its_bad_write_after_the_rebuild(cast, rebuilt, rule):
    with pytest.raises(IntegrityError, match=rule), transaction.atomic():
        VIOLATIONS[rule](cast)


@pytest.fixture
def scratch_table():
    """A table with a nullable owner column, guarded by an immutable rule."""
    rule = immutable_rule(name="scratch_owner_fixed", table="scratch_row", columns=("owner",))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE scratch_row (id INTEGER PRIMARY KEY, owner INTEGER NULL)")
    with connection.schema_editor() as editor:
        CreateTriggers([rule]).database_forwards("core", editor, None, None)
    yield rule
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE scratch_row")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS scratch_owner_fixed_fn()")


def _update_owner(row_id: int, old, new) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO scratch_row (id, owner) VALUES (%s, %s)", [row_id, old])
        cursor.execute("UPDATE scratch_row SET owner = %s WHERE id = %s", [new, row_id])


@pytest.mark.parametrize(("old", "new"), [(1, None), (None, 1), (1, 2)])
def test_an_immutable_column_cannot_change_to_or_from_null(scratch_table, old, new):
    with pytest.raises(IntegrityError, match="scratch_owner_fixed"), transaction.atomic():
        _update_owner(1, old, new)


@pytest.mark.parametrize("value", [None, 1])
def test_an_immutable_column_may_be_written_again_with_the_same_value(scratch_table, value):
    _update_owner(1, value, value)


def test_trigger_rules_render_for_both_databases():
    rule = TriggerRule(name="r", table="t", violated_when="(NEW.x < 0)", message="x >= 0")
    assert "RAISE(ABORT, 'r: x >= 0')" in rule.sqlite()[0]
    assert "CONSTRAINT = 'r'" in rule.postgresql()[0]
