"""The upkeep: a periodic task that finds again the work a dead worker or a lost enqueue left,
and deletes what is past its retention (modelled on pretix's `base/services/cleanup.py`).

Each app contributes its chores in a `chores.py` module (anso/chores.py, members/chores.py,
meetings/chores.py), which calls `chore_register`; the modules are found when the project
starts (`chores_discover`, called by `AnsoConfig.ready`), as the admin finds `admin.py`.
`anso` thus runs chores of apps it never imports.

`upkeep_run` runs every chore, each in its own transaction: one that fails is logged and
rolled back, and the others still run. Several machines may run workers and timers, so two
upkeeps may run at once: every chore is safe to run twice (rows are locked with
`select_for_update(skip_locked=True)`, or changed by one conditional UPDATE).
A chore that locks rows is in a transaction of its own as well (`@transaction.atomic`): it is
called outside the upkeep too, and PostgreSQL refuses row locks outside a transaction.

The worker's timer (`manage.py upkeep_timer`, started beside the worker by `scripts/worker`)
enqueues the task every `UPKEEP_SECONDS`; docs/deployment.md.
"""

import logging
import time
from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from anso.background.tasks import background

logger = logging.getLogger(__name__)

#: The chores, by name, in the order they were registered.
_CHORES: dict[str, Callable[[], object]] = {}


def chore_register(name: str, func: Callable[[], object]) -> None:
    """Run `func()` at every upkeep. Its return value (a count) is logged."""
    _CHORES[name] = func


def chores_discover() -> None:
    """Import the `chores` module of every installed app that has one."""
    autodiscover_modules("chores")


def chore_names() -> list[str]:
    return list(_CHORES)


def upkeep_run() -> dict[str, object]:
    """Run every chore in its own transaction. Returns each chore's result, or "failed"."""
    results: dict[str, object] = {}
    started = time.monotonic()
    for name, func in _CHORES.items():
        try:
            with transaction.atomic():
                results[name] = func()
        except Exception:  # one chore's failure never stops the others
            logger.exception("Upkeep chore %s failed", name)
            results[name] = "failed"
    logger.info(
        "Upkeep (%.1f s): %s",
        time.monotonic() - started,
        ", ".join(f"{name} {result}" for name, result in results.items()),
    )
    return results


@background
def upkeep() -> dict[str, object]:
    """The periodic task (the worker's timer enqueues it)."""
    return upkeep_run()
