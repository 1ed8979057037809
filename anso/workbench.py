"""The "needs attention" panel of the Secretariat's home page (the admin's index): one registry
that every app fills with its own entries, so that `anso` shows what it never imports.

An app registers an entry once, when it starts (its `AppConfig.ready()` imports a module that
calls `register`): a label, the permission a staff member needs to see it (the view permission
of the rows it counts), a function counting the rows, and a function giving the address of
the admin's list of exactly those rows (its list filters in the query string). Both functions
take the moment of the request, so that a rule of time ("coming meetings", "stuck for ten
minutes") reads the same clock for the count and for the list. docs/architecture.md, "The
Secretariat's workbench".
"""

import dataclasses
import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone


@dataclasses.dataclass(frozen=True)
class Entry:
    """One line of the panel: how many rows wait, and where they are listed."""

    label: str
    count: int
    url: str
    permission: str

    @property
    def waiting(self) -> bool:
        return self.count > 0


@dataclasses.dataclass(frozen=True)
class _Source:
    label: object  # a lazy translation, read in the request's language
    permission: str
    count: Callable[[datetime.datetime], int]
    url: Callable[[datetime.datetime], str]


#: The entries, by name, in the order they were registered (the apps' order in INSTALLED_APPS).
_SOURCES: dict[str, _Source] = {}


def register(
    name: str,
    *,
    label,
    permission: str,
    count: Callable[[datetime.datetime], int],
    url: Callable[[datetime.datetime], str],
) -> None:
    """Add an entry to the panel (registering a name again replaces its entry). `permission`
    is "app_label.codename"; `count(now)` runs one query; `url(now)` is the admin list that
    shows the same rows (`changelist_url` builds it)."""
    _SOURCES[name] = _Source(label=label, permission=permission, count=count, url=url)


def entry_names() -> list[str]:
    return list(_SOURCES)


def entries_for(request, *, now: datetime.datetime | None = None) -> list[Entry]:
    """The entries this staff member may see (one query each; the permissions are read once
    for the request), in the order they were registered."""
    now = now or timezone.now()
    return [
        Entry(
            label=str(source.label),
            count=source.count(now),
            url=source.url(now),
            permission=source.permission,
        )
        for source in _SOURCES.values()
        if request.user.has_perm(source.permission)
    ]


def changelist_url(model_label: str, **filters) -> str:
    """The admin's list of a model ("members.Nomination") narrowed by its list filters."""
    app_label, model_name = model_label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url
