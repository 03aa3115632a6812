"""App matching benchmark: a matching run and its publish for a 10,000-person program,
through the app: the ORM, the task queue, the database worker, the database writes.

    .venv/bin/python bench/app_matching.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/app_matching.py                   # SQLite, then PostgreSQL

For each database, a child process gets a fresh database (a throw-away data directory
for SQLite; a database named `twoway_bench` on the PostgreSQL server, dropped and
created again), migrates it, and writes a synthetic organisation through the ORM in
bulk (not timed). Then, timed: `matching_run_start` queues the run, the real
`db_worker` (django-tasks' database worker, as `twoway worker` runs it) executes it,
and `matching_run_publish` creates the pairings and the notifications. The engine's
own seconds (from the run's stats) are shown beside the total. The e-mails of the
notifications are queued as a task and are not part of the figures.
"""

from __future__ import annotations

import os
import platform
import time

from appbench import run_on_each_database
from docsection import update_section

TARGET_SECONDS = 30
ENGINE_PHASES = ("score", "candidates", "solve", "explain")  # jsonb does not keep key order


def main() -> None:
    run_on_each_database(__file__, __doc__, _measure, _report)


# --- In the child process ------------------------------------------------------------


def _measure(people: int, database: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    program, coordinator = _organisation(people)
    return _run_and_publish(program, coordinator, database)


def _organisation(n: int):
    """A synthetic organisation of `n` people, enrolled with completed profiles (bulk)."""
    from django.utils import timezone

    from twoway.accounts.models import User
    from twoway.matching.synthetic import generate_organisation
    from twoway.profiles.models import Gap, Offer, Profile, Skill, SkillCategory
    from twoway.programs.models import Participant, Program, ProgramStatus

    organisation = generate_organisation(n, seed=7).participants
    users = User.objects.bulk_create(
        [
            User(email=f"{person.id}@bench.example.org", full_name=f"Person {person.id}")
            for person in organisation
        ],
        batch_size=2000,
    )
    user_of = {person.id: user for person, user in zip(organisation, users, strict=True)}
    today = timezone.localdate()
    Profile.objects.bulk_create(
        [
            Profile(
                user=user_of[person.id],
                department=person.department,
                level=person.level,
                hired_on=today.replace(year=today.year - int(person.tenure_years)),
                birth_year=person.birth_year,
                location=person.location,
                timezone=person.timezone,
                languages=list(person.languages),
                interests=list(person.interests),
                manager=user_of[person.manager_id] if person.manager_id else None,
            )
            for person in organisation
        ],
        batch_size=2000,
    )
    coordinator = User.objects.create(email="coordinator@bench.example.org", full_name="Coach")
    program = Program.objects.create(
        name="Bench", slug="bench", purpose="Benchmark.", status=ProgramStatus.ENROLLING
    )
    program.coordinators.add(coordinator)
    now = timezone.now()
    participants = Participant.objects.bulk_create(
        [
            Participant(program=program, user=user_of[p.id], profile_completed_at=now)
            for p in organisation
        ],
        batch_size=2000,
    )
    skills = {skill.name: skill for skill in Skill.objects.all()}
    for name in {s.skill for p in organisation for s in (*p.offers, *p.gaps)} - set(skills):
        skills[name] = Skill.objects.create(
            name=name, category=SkillCategory.UNCATEGORISED, cluster="bench"
        )
    Offer.objects.bulk_create(
        [
            Offer(participant=row, skill=skills[offer.skill], proficiency=offer.proficiency)
            for person, row in zip(organisation, participants, strict=True)
            for offer in person.offers
        ],
        batch_size=5000,
    )
    Gap.objects.bulk_create(
        [
            Gap(participant=row, skill=skills[gap.skill], priority=gap.priority)
            for person, row in zip(organisation, participants, strict=True)
            for gap in person.gaps
        ],
        batch_size=5000,
    )
    return program, coordinator


def _run_and_publish(program, coordinator, database: str) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from twoway.pairing.models import MatchingRun, Pairing, RunStatus
    from twoway.pairing.run_services import matching_run_publish, matching_run_start

    started = time.perf_counter()
    with transaction.atomic():  # the task is queued when this commits, as in a request
        run = matching_run_start(program=program, started_by=coordinator)
    queued = time.perf_counter()
    # The real worker, as `twoway worker` runs it; --batch stops once the queue is empty.
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name=*",
        "--max-tasks=1",
        verbosity=0,
    )
    executed = time.perf_counter()
    run = MatchingRun.objects.get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        raise SystemExit(f"the run did not succeed: {run.status} {run.error}")
    created = matching_run_publish(run=run, by=coordinator)
    finished = time.perf_counter()
    assert Pairing.objects.filter(program=program).count() == created
    engine = run.stats["seconds"]
    return {
        "database": database,
        "people": program.participants.count(),
        "pairs": created,
        "unmatched": len(run.unmatched),
        "optimal": run.stats["optimal"],
        "certificate": run.stats["certificate"],
        "start": round(queued - started, 2),
        "worker": round(executed - queued, 2),
        "engine": round(sum(engine.values()), 2),
        "engine_phases": {
            phase: round(engine[phase], 2) for phase in ENGINE_PHASES if phase in engine
        },
        "publish": round(finished - executed, 2),
        "total": round(finished - started, 2),
    }


# --- Report -------------------------------------------------------------------------


def _report(rows: list[dict]) -> None:
    header = (
        "| database | people | pairs | unmatched | optimal | total s | start s | worker s "
        "| of which engine s | engine phases s | publish s |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {row['database']} | {row['people']:,} | {row['pairs']:,} | {row['unmatched']:,} "
        f"| {row['optimal']} ({row['certificate']}) | {row['total']} | {row['start']} "
        f"| {row['worker']} | {row['engine']} "
        f"| {', '.join(f'{k} {v}' for k, v in row['engine_phases'].items())} "
        f"| {row['publish']} |"
        for row in rows
    ]
    table = header + "\n".join(lines) + "\n"
    print(table)
    verdict = all(row["total"] < TARGET_SECONDS for row in rows)
    body = (
        f"Command: `python bench/app_matching.py` (with `DATABASE_URL` set for PostgreSQL). "
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}.\n"
        "A synthetic organisation (seed 7) written through the ORM, every profile complete, "
        "capacity 1, default rules. Timed: `matching_run_start` (queues the task), the "
        "database worker executing the run (reading the program, the engine, saving the "
        "proposed pairs), and `matching_run_publish` (the pairings and one notification per "
        "partner, in one transaction). The notification e-mails are queued for the worker "
        "and not timed. The machine is shared and noisy: the same run can take up to three "
        "times as long while other jobs use its cores.\n\n"
        + table
        + f"\nTarget: under {TARGET_SECONDS} s each: {'met' if verdict else 'NOT met'}.\n"
    )
    update_section("app-matching", "Matching through the app", body)


if __name__ == "__main__":
    main()
