"""Background tasks of the programs app, run by `twoway worker` (django-tasks).

Each task takes an id, not an object: the queue stores its arguments as JSON.
"""

from __future__ import annotations

from django_tasks import task

from twoway.programs.imports import import_commit, import_validate
from twoway.programs.models import ImportBatch, ImportStatus


@task()
def import_validate_task(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("program").get(pk=batch_id)
    try:
        import_validate(batch=batch)
    except Exception:
        # The page polls the batch: it must not wait for a check that died.
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED,
            summary={"error": "The check stopped with an error; upload the file again."},
        )
        raise
    return batch.status


@task()
def import_commit_task(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("program", "uploaded_by").get(pk=batch_id)
    return import_commit(batch=batch).status
