"""What other apps hold about a person, without `members` importing them: an app that keeps
rows about people registers, when it starts (its `AppConfig.ready()`), a section of the
person's data for the export and a step of the erasure (as apps fill anso/workbench.py's
panel). `meetings` registers its participations, invitations and visa requests."""

from collections.abc import Callable
from typing import Any

#: name -> function(person) giving that section of the export: plain JSON values.
_SECTIONS: dict[str, Callable[[Any], list[dict]]] = {}
#: name -> function(person) scrubbing that app's rows of the person; returns a count.
_ERASERS: dict[str, Callable[[Any], int]] = {}


def export_section_register(name: str, func: Callable[[Any], list[dict]]) -> None:
    _SECTIONS[name] = func


def erasure_step_register(name: str, func: Callable[[Any], int]) -> None:
    _ERASERS[name] = func


def export_sections(person) -> dict[str, list[dict]]:
    return {name: func(person) for name, func in _SECTIONS.items()}


def erasure_steps_run(person) -> dict[str, int]:
    return {name: func(person) for name, func in _ERASERS.items()}
