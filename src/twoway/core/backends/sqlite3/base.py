"""Django's SQLite backend, with table rebuilds that keep Twoway's triggers.

SQLite cannot alter most parts of a table in place, so Django rebuilds it: it
creates a new table, copies the rows, drops the old one and renames the new one.
Dropping the old table silently drops the triggers defined on it, and renaming
fails while a trigger on *another* table still names the dropped one ("error in
trigger ...: no such table"). Both would break every later migration of a
trigger-guarded table, or worse, leave it unguarded.

This schema editor takes every trigger that mentions the table out before the
rebuild and puts the very same SQL back afterwards, so the rules stay in force.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=None):
        triggers = self._triggers_mentioning(model._meta.db_table)
        for name, _ in triggers:
            self.execute(f'DROP TRIGGER "{name}"', params=None)
        super()._remake_table(
            model, create_field=create_field, delete_field=delete_field, alter_fields=alter_fields
        )
        for _, sql in triggers:
            self.execute(sql, params=None)

    def _triggers_mentioning(self, table: str) -> list[tuple[str, str]]:
        # A substring match may also catch a trigger that names a longer table;
        # taking that one out and back in is harmless, missing one is not.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND (tbl_name = %s OR instr(lower(sql), lower(%s)) > 0) ORDER BY name",
                [table, table],
            )
            return cursor.fetchall()


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
