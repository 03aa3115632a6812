"""Browser tests: Debian's chromium driven by Playwright against a live server.

Under CI a missing browser is a failure; elsewhere the tests are skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from twoway.accounts.services import invitation_create

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Chromium's background services try to reach the internet, which is closed here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI requires the browser tests, and {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread, which makes
    # Django refuse ORM calls; those calls are still synchronous and safe here.
    # (tests/commands.py keeps the variable away from the commands other tests run.)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def page(browser):
    """A browser tab that fails the test on any Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def assert_fits_a_phone(page) -> None:
    """No horizontal scrolling at 390 px wide."""
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than a 390 px phone"


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, live_server, email: str, password: str, *, wait: bool = True) -> None:
    """Sign in through the form; by default wait for the home page's greeting."""
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if wait:
        page.get_by_role("heading", name="Hello").wait_for()


def invitation_link(live_server, *, program, invited_by, email: str, full_name: str) -> str:
    """Invite someone as a participant; the single-use link from their e-mail."""
    invitation_create(
        program=program,
        email=email,
        role="participant",
        invited_by=invited_by,
        full_name=full_name,
        accept_url_for=lambda token: f"{live_server.url}/accounts/invitations/{token}/",
    )
    return re.search(r"https?://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)


def pick_suggestion(page, row, typed: str, suggestion: str) -> None:
    """Type part of a skill, wait for the vocabulary's suggestion, and take it."""
    field = row.get_by_label("Skill or perspective")
    field.click()
    field.press_sequentially(typed, delay=30)
    page.locator(f'#skill-suggestions option[value="{suggestion}"]').wait_for(state="attached")
    field.fill(suggestion)


def rate(row, value: int) -> None:
    row.locator(".rating label", has_text=str(value)).click()


# --- Background tasks ------------------------------------------------------------------


class TaskWorker:
    """django-tasks-db's own worker loop, run in a thread against the live server's
    database whenever the test says so.

    The test decides when queued tasks run, rather than a worker polling on its own
    timer: the page can then be seen waiting for the worker first, every time, and
    the worker's transactions never meet the browser's form posts on the one SQLite
    connection that the live server shares between threads.
    """

    def __init__(self, live_server) -> None:
        # The live server's threads share its one connection to an in-memory SQLite
        # database, and so does the worker; with any other database (PostgreSQL) each
        # thread has its own connection.
        self._shared = live_server.thread.connections_override.get("default")
        self._thread = None
        self.errors: list[BaseException] = []

    def run_queued(self) -> None:
        """Start running every queued task (and any they queue) in the background."""
        import threading

        self.wait()
        self._thread = threading.Thread(target=self._run, name="e2e-task-worker", daemon=True)
        self._thread.start()

    def wait(self, timeout: float = 60) -> None:
        """Wait until the queue is empty and the worker has stopped."""
        if self._thread is None:
            return
        self._thread.join(timeout)
        assert not self._thread.is_alive(), f"the task worker is still busy after {timeout} s"
        self._thread = None

    def _run(self) -> None:
        from django.db import connections
        from django_tasks_db.management.commands.db_worker import Worker

        if self._shared is not None:
            connections["default"] = self._shared
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,  # stop once nothing is left to do
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="e2e-task-worker",
            excluded_queue_names=[],
        )
        try:
            worker.run()
        except BaseException as error:  # the test thread reports it
            self.errors.append(error)
        finally:
            if self._shared is None:
                connections.close_all()


@pytest.fixture
def task_worker(live_server):
    """Runs queued background tasks on demand; any task that failed fails the test."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    worker = TaskWorker(live_server)
    yield worker
    worker.wait()
    assert not worker.errors, f"the task worker stopped: {worker.errors!r}"
    failed = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).values_list(
            "task_path", "traceback"
        )
    )
    assert not failed, f"background tasks failed: {failed}"
