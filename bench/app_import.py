"""App import benchmark: a 10,000-row HRIS CSV imported into a program through the app:
the upload, the background check of every row, the all-or-nothing save.

    .venv/bin/python bench/app_import.py                         # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/app_import.py                     # SQLite, then PostgreSQL

Each database gets a fresh child process and database (as in bench/app_matching.py). The
CSV is written from a synthetic organisation (not timed). Timed: `import_upload`, the
real `db_worker` running the check task, `import_commit_start`, and the worker running
the save task. The invitation e-mails (sent after the save commits, to the console
backend) are timed separately.
"""

from __future__ import annotations

import csv
import io
import os
import platform
import time

from appbench import run_on_each_database
from docsection import update_section

TARGET_SECONDS = 30


def main() -> None:
    run_on_each_database(__file__, __doc__, _measure, _report)


# --- In the child process ------------------------------------------------------------


def _hris_csv(people: int) -> bytes:
    """The synthetic organisation as an HRIS export, managers by e-mail."""
    from twoway.matching.synthetic import generate_organisation

    organisation = generate_organisation(people, seed=7).participants
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "full_name", "department", "level", "manager_email", "location"])
    writer.writerows(
        [
            f"{person.id}@bench.example.org",
            f"Person {person.id}",
            person.department,
            person.level,
            f"{person.manager_id}@bench.example.org" if person.manager_id else "",
            person.location,
        ]
        for person in organisation
    )
    return out.getvalue().encode()


def _work_the_queue() -> float:
    """The real worker, as `twoway worker` runs it, until the queue is empty; seconds."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name=*", verbosity=0)
    return time.perf_counter() - started


def _measure(people: int, database: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from twoway.accounts.models import User
    from twoway.programs.imports import import_commit_start, import_upload
    from twoway.programs.models import ImportBatch, ImportStatus, Program, ProgramStatus

    call_command("migrate", verbosity=0)
    content = _hris_csv(people)
    coordinator = User.objects.create(email="coordinator@bench.example.org", full_name="Coach")
    program = Program.objects.create(
        name="Bench", slug="bench", purpose="Benchmark.", status=ProgramStatus.ENROLLING
    )
    program.coordinators.add(coordinator)

    started = time.perf_counter()
    with transaction.atomic():  # the task is queued when this commits, as in a request
        batch = import_upload(
            program=program, uploaded_by=coordinator, filename="hris.csv", content=content
        )
    check = _work_the_queue()
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status != ImportStatus.READY:
        raise SystemExit(f"the check did not pass: {batch.status} {batch.problems[:3]}")
    import_commit_start(batch=batch)
    save = _work_the_queue()
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.status != ImportStatus.DONE:
        raise SystemExit(f"the save did not finish: {batch.status} {batch.summary}")
    return {
        "database": database,
        "rows": batch.rows_total,
        "enrolled": program.participants.count(),
        "check": round(check, 2),
        "save": round(save, 2),
        "total": round(time.perf_counter() - started, 2),
    }


# --- Report -------------------------------------------------------------------------


def _report(rows: list[dict]) -> None:
    table = (
        "| database | rows | enrolled | total s | check s | save s (incl. e-mails) |\n"
        "|---|---|---|---|---|---|\n"
        + "\n".join(
            f"| {row['database']} | {row['rows']:,} | {row['enrolled']:,} | {row['total']} "
            f"| {row['check']} | {row['save']} |"
            for row in rows
        )
        + "\n"
    )
    print(table)
    verdict = all(row["total"] < TARGET_SECONDS for row in rows)
    body = (
        "Command: `python bench/app_import.py` (with `DATABASE_URL` set for PostgreSQL). "
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}.\n"
        "A 10,000-row HRIS CSV (synthetic organisation, seed 7; managers by e-mail) imported "
        "into an empty program: upload, the worker checking every row, then the worker's "
        "all-or-nothing save (accounts, profiles, participants, invitations) and the "
        "invitation e-mails sent after the commit (console backend). The machine is shared "
        "and noisy.\n\n"
        + table
        + f"\nTarget: under {TARGET_SECONDS} s each: {'met' if verdict else 'NOT met'}.\n"
    )
    update_section("app-import", "CSV import through the app", body)


if __name__ == "__main__":
    main()
