"""Integrity rules that span tables, enforced by database triggers.

A CHECK constraint sees one row only, so rules such as "a participant holds no
more live pairings than the program allows" or "an exchange is between the two
partners of its pairing" need triggers. Each rule is written once here, as an
SQL condition that is true when a row is *bad*, and rendered for SQLite and
PostgreSQL. Both raise an integrity error whose message starts with the rule's
name, so tests and logs can tell the rules apart.

The rendering below is shared by the migrations that install the rules: change it
only together with a new migration, or new and old databases will differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import migrations


@dataclass(frozen=True)
class TriggerRule:
    name: str  # also the trigger's name
    table: str
    violated_when: str  # SQL boolean over NEW.* (and OLD.* on UPDATE); true rejects the row
    message: str
    lock_sql: str = ""  # PostgreSQL only: rows to lock first, against concurrent writers
    events: tuple[str, ...] = ("INSERT", "UPDATE")

    def sqlite(self) -> list[str]:
        text = f"{self.name}: {self.message}".replace("'", "''")
        return [
            f"""CREATE TRIGGER {self.name}_{event.lower()} BEFORE {event} ON {self.table}
            FOR EACH ROW WHEN {self.violated_when}
            BEGIN SELECT RAISE(ABORT, '{text}'); END;"""
            for event in self.events
        ]

    def sqlite_reverse(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.name}_{event.lower()}" for event in self.events]

    def postgresql(self) -> list[str]:
        text = f"{self.name}: {self.message}".replace("'", "''")
        return [
            f"""CREATE OR REPLACE FUNCTION {self.name}_fn() RETURNS trigger AS $$
            BEGIN
              {self.lock_sql}
              IF {self.violated_when} THEN
                RAISE EXCEPTION USING ERRCODE = 'check_violation',
                  MESSAGE = '{text}', CONSTRAINT = '{self.name}';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;""",
            f"""CREATE TRIGGER {self.name} BEFORE {" OR ".join(self.events)} ON {self.table}
            FOR EACH ROW EXECUTE FUNCTION {self.name}_fn();""",
        ]

    def postgresql_reverse(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
            f"DROP FUNCTION IF EXISTS {self.name}_fn()",
        ]


class CreateTriggers(migrations.operations.base.Operation):
    """A migration operation that installs TriggerRules on SQLite or PostgreSQL."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, rules: list[TriggerRule]):
        self.rules = rules

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for rule in self.rules:
            self._run(schema_editor, getattr(rule, _vendor(schema_editor))())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for rule in reversed(self.rules):
            self._run(schema_editor, getattr(rule, f"{_vendor(schema_editor)}_reverse")())

    @staticmethod
    def _run(schema_editor, statements: list[str]) -> None:
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return "Create integrity triggers " + ", ".join(rule.name for rule in self.rules)

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.rules], {})


class ReplaceTriggers(CreateTriggers):
    """Install a new version of rules that an earlier migration created.

    Going backwards keeps the new version: the earlier migration's own reversal
    drops the triggers by name, and a stricter rule never makes old data invalid.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = _vendor(schema_editor)
        for rule in self.rules:
            self._run(schema_editor, getattr(rule, f"{vendor}_reverse")())
            self._run(schema_editor, getattr(rule, vendor)())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self) -> str:
        return "Replace integrity triggers " + ", ".join(rule.name for rule in self.rules)


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise NotImplementedError(
            f"Twoway's integrity triggers support SQLite and PostgreSQL, not {vendor}"
        )
    return vendor


def partner_rule(
    *, name: str, table: str, pairing_column: str, participant_column: str
) -> TriggerRule:
    """`participant_column` names one of the two partners of the row's pairing.

    Either column may be nullable: a row without a pairing or participant passes.
    """
    return TriggerRule(
        name=name,
        table=table,
        violated_when=f"""(NEW.{pairing_column} IS NOT NULL
            AND NEW.{participant_column} IS NOT NULL
            AND NOT EXISTS (
                SELECT 1 FROM pairing_pairing p WHERE p.id = NEW.{pairing_column}
                AND NEW.{participant_column} IN (p.participant_a_id, p.participant_b_id)))""",
        message=f"{participant_column} must be one of the two partners of the pairing",
    )


def differs(left: str, right: str) -> str:
    """SQL that is true when two values differ, NULL counting as a value.

    A plain `<>` is NULL, so never true, when either side is NULL: a change to or
    from NULL would slip through. Written without IS DISTINCT FROM so that it
    runs on older SQLite versions as well as on PostgreSQL.
    """
    return f"({left} <> {right} OR ({left} IS NULL) <> ({right} IS NULL))"


def immutable_rule(*, name: str, table: str, columns: tuple[str, ...]) -> TriggerRule:
    """Columns that say who or what a row belongs to never change after insert.

    Rules checked on a child row (an exchange is between the partners of its
    pairing) would otherwise be bypassed by moving the parent row instead.
    """
    changed = " OR ".join(differs(f"NEW.{column}", f"OLD.{column}") for column in columns)
    return TriggerRule(
        name=name,
        table=table,
        violated_when=f"({changed})",
        message=f"{', '.join(columns)} cannot change once written; create a new row instead",
        events=("UPDATE",),
    )
