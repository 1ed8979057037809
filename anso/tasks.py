"""The background tasks (django.tasks): each is a thin call into the code that owns the work.

Run by `manage.py db_worker` (the database queue) or `manage.py rqworker` (Redis); see
docs/deployment.md.
"""

from django.tasks import task


@task
def send_mail(mail_id: int) -> str:
    from .mail import outgoing_mail_send

    return outgoing_mail_send(mail_id=mail_id)


@task
def run_import_job(job_pk: int) -> str:
    from .imports import import_job_run

    return import_job_run(job_pk=job_pk)
