"""Is the database answering? Asked with a deadline, so a hung database cannot hang us.

A database that accepts connections but never answers would otherwise hold the
request until the web worker is killed. The probe runs in its own thread, on its
own connection; the caller waits at most `timeout` seconds. While a probe is
still stuck, later callers wait on that same probe instead of starting another,
so a hung database never piles up threads.
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


class _Probe:
    def __init__(self):
        self.finished = threading.Event()
        self.answered = False
        # A daemon thread: a probe stuck on a hung database never delays shutdown.
        threading.Thread(target=self._run, name="twoway-health", daemon=True).start()

    def _run(self) -> None:
        try:
            self.answered = _select_one()
        finally:
            self.finished.set()


_lock = threading.Lock()
_in_flight: _Probe | None = None


def _select_one() -> bool:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return False
    finally:
        connection.close()  # the probe thread's own connection


def database_answers(*, timeout: float) -> bool:
    global _in_flight
    with _lock:
        if _in_flight is None or _in_flight.finished.is_set():
            _in_flight = _Probe()
        probe = _in_flight
    if probe.finished.wait(timeout):
        return probe.answered
    logger.error("health check: the database did not answer within %.1f s", timeout)
    return False
