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


def remind_forever(*, interval: float, stop: threading.Event) -> None:
    from twoway.insights.services.scheduled import scheduled_work_run
    from twoway.relationships.services.reminders import reminders_send_due

    while not stop.is_set():
        try:
            raised = reminders_send_due()
            if raised:
                logger.info("raised %d reminder(s)", raised)
        except Exception:  # a bad run must not stop the reminders for good
            logger.exception("reminders failed; trying again in %.0f s", interval)
        try:
            flags, digests = scheduled_work_run()
            if flags or digests:
                logger.info("recorded %d new flag(s), sent %d digest(s)", flags, digests)
        except Exception:  # nor a bad run of the coordinators' work stop the reminders
            logger.exception("flags and digests failed; trying again in %.0f s", interval)
        finally:
            close_old_connections()
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
