"""How the site declares a background task: `@background` above a module-level function,
in the module of the work it runs (pretix's `mail_send_task` in its mail service), so that
nothing needs an import inside a function to reach a task.

Run by `manage.py db_worker` (the database queue) or `manage.py rqworker` (Redis); see
docs/deployment.md. A queued task is stored by its dotted path (`<module>.<function>`):
anso/tasks.py and the apps' `tasks.py` keep the paths of tasks that lived there before.
This module imports nothing of the site.
"""

from django.tasks import Task


def background(func) -> Task:
    """Like `@django.tasks.task`, but always Django's own Task class. `@task` takes the class
    of the backend configured when the module is first imported, and the RQ backend's class
    (from the django-tasks backport) is refused by the database worker; Django's class is
    accepted by both."""
    return Task(func=func)
