"""The background worker: reminders on a timer, and the task queue.

`twoway worker` runs both in one process: a thread raises the reminders that are
due every few minutes, records new health flags and sends the coordinators'
weekly digest (all idempotent, so several workers do no harm), and the main
thread runs django-tasks' database worker for queued tasks.
"""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger("twoway.worker")


def scheduled_work_once() -> dict[str, int]:
    """Everything due now: reminders, then flags and digests for coordinators.

    Each part runs on its own, so that one failing does not stop the others; all are
    idempotent, so a second run (or a second worker) sends nothing twice.
    """
    from twoway.insights.services.scheduled import digests_send, flags_record
    from twoway.relationships.services.reminders import reminders_send_due

    parts = {"reminders": reminders_send_due, "flags": flags_record, "digests": digests_send}
    done = {}
    for name, work in parts.items():
        try:
            done[name] = work()
        except Exception:  # logged; the next run tries again
            logger.exception("scheduled %s failed", name)
            done[name] = 0
        finally:
            close_old_connections()
    return done


def remind_forever(*, interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        done = scheduled_work_once()
        if any(done.values()):
            logger.info(
                "raised %(reminders)d reminder(s), recorded %(flags)d new flag(s), "
                "sent %(digests)d digest(s)",
                done,
            )
        stop.wait(interval)


def run(*, reminder_interval: float) -> None:
    stop = threading.Event()
    reminders = threading.Thread(
        target=remind_forever,
        kwargs={"interval": reminder_interval, "stop": stop},
        name="twoway-reminders",
        daemon=True,
    )
    reminders.start()
    try:
        call_command("db_worker", "--queue-name=*", "--no-startup-delay")
    finally:
        stop.set()
