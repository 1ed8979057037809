"""The dotted paths of the tasks that lived here, for what is still queued under them.

A queue stores a task by its path (django_tasks_db's `task_path`, the RQ job's function name)
and the worker imports that path when the task runs; neither checks that the task found there
still has that path. Each task is now defined beside its work, and a task queued as
`anso.tasks.<name>` before a deploy still runs here after it. Nothing of the site imports this
module (tests/test_architecture.py checks it): new code takes `background` from
anso/background/tasks.py and a task from the module of its work.
"""

from anso.background.imports import run_import_job
from anso.background.tasks import background
from anso.mail.dispatch import dispatch_mail, mail_dispatch

__all__ = ["background", "dispatch_mail", "run_import_job", "send_mail"]


@background
def send_mail(mail_id: int) -> int:
    """A task of one mail, as queued before the dispatcher: a dispatcher run sends it."""
    return mail_dispatch()
