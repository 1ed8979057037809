"""What other apps hold about a person, without `members` importing them: an app that keeps
rows about people registers, when it starts (its `AppConfig.ready()`), a section of the
person's data for the export and a step of the erasure (as apps fill anso/workbench.py's
panel). `meetings` registers its participations, invitations, visa requests and comments on
minutes.

A section says how the member's page shows it (`Section`: a title, what the page says when it
is empty, a label and a way of showing each of its keys), so the page and the JSON are the one
structure: a section the JSON holds is on the page, with each of its keys."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.defaultfilters import yesno
from django_countries.fields import Country

EMPTY = "—"


def as_text(value) -> str:
    """A text as it is (a `MarkedText` keeps its language), "—" for none."""
    return value if value not in (None, "") else EMPTY


def as_date(value) -> str:
    """An ISO date or time, as its date."""
    return value[:10] if value else EMPTY


def as_yesno(value) -> str:
    return yesno(value)


def as_kept(value) -> str:
    """Whether a text is kept: yes or no, not the text."""
    return yesno(bool(value))


def as_yesnos(values) -> str:
    return ", ".join(yesno(value) for value in values) if values else EMPTY


def as_choice(choices) -> Callable[[Any], str]:
    """A stored choice's value, as its label in the page's language."""
    labels = dict(choices)

    def show(value) -> str:
        return str(labels.get(value, value)) if value else EMPTY

    return show


def as_country(code) -> str:
    return Country(code).name if code else EMPTY


as_language = as_choice(settings.LANGUAGES)


@dataclass(frozen=True)
class Field:
    """One key of a section's rows: its label on the page and how the page shows its value
    (a function of the JSON value giving the text)."""

    key: str
    label: Any  # a lazy translation
    show: Callable[[Any], str] = as_text


@dataclass(frozen=True)
class Section:
    """One key of the person's data: `read(person)` gives its JSON value, a list of rows (a
    table on the page) or one dict (a list of labelled values)."""

    key: str
    title: Any
    empty: Any  # what the page says when there are no rows
    fields: tuple[Field, ...]
    read: Callable[[Any], list[dict] | dict] | None = None


#: name -> the section of the export an app registered.
_SECTIONS: dict[str, Section] = {}
#: name -> function(person) scrubbing that app's rows of the person; returns a count.
_ERASERS: dict[str, Callable[[Any], int]] = {}


def export_section_register(section: Section) -> None:
    _SECTIONS[section.key] = section


def erasure_step_register(name: str, func: Callable[[Any], int]) -> None:
    _ERASERS[name] = func


def registered_sections() -> list[Section]:
    return list(_SECTIONS.values())


def export_sections(person) -> dict[str, list[dict]]:
    return {section.key: section.read(person) for section in _SECTIONS.values()}


def erasure_steps_run(person) -> dict[str, int]:
    return {name: func(person) for name, func in _ERASERS.items()}
