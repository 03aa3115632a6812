"""Background tasks of the pairing app, run by `twoway worker` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from twoway.notifications.services import notifications_email


@task()
def matching_run_task(run_id: int) -> None:
    """Execute a queued matching run (its page shows the progress)."""
    # Imported here: run_services queues these tasks, so it imports this module.
    from twoway.pairing.run_services import matching_run_execute

    matching_run_execute(run_id=run_id)


@task()
def notifications_email_task(ids: list[int]) -> int:
    """E-mail the notifications a publish raised, away from the coordinator's request."""
    return notifications_email(ids=ids)
