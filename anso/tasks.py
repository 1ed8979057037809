"""The background tasks (django.tasks): each is a thin call into the code that owns the work.

Run by `manage.py db_worker` (the database queue) or `manage.py rqworker` (Redis); see
docs/deployment.md.
"""

from django.tasks import Task


def background(func) -> Task:
    """Like `@django.tasks.task`, but always Django's own Task class. `@task` takes the class
    of the backend configured when the module is first imported, and the RQ backend's class
    (from the django-tasks backport) is refused by the database worker; Django's class is
    accepted by both."""
    return Task(func=func)


@background
def dispatch_mail() -> int:
    """Send the queued mail that is due, within the rate (anso/mail_dispatch.py)."""
    from .mail_dispatch import mail_dispatch

    return mail_dispatch()


@background
def send_mail(mail_id: int) -> int:
    """A task of one mail, as queued before the dispatcher: a dispatcher run sends it."""
    from .mail_dispatch import mail_dispatch

    return mail_dispatch()


@background
def run_import_job(job_pk: int) -> str:
    from .imports import import_job_run

    return import_job_run(job_pk=job_pk)
