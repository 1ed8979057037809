"""A meeting's programme as its page shows it: sessions, their chairs, agenda items, speakers
and the actions of the plan presented.

A programme can have a thousand agenda items with two speakers each. Read as model instances
and rendered through the template engine, that took 0.7-0.9 s a page: most of it resolving
some 16,000 template variables (each a chain of attribute lookups), a `reverse()` per speaker
and a translation lookup per label. Here the programme is read as plain rows (three queries,
no model instances) and written out in one pass: links are built from one `reverse()` per
URL pattern, labels are translated once per render, and every stored text is escaped. The
markup is the one the page had (`templates/meetings/meeting_detail.html` inserts it).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape  # Django's escape() is this, wrapped for lazy strings: a third slower
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from anso.languages import lang_attribute
from members.names import display_name

from .models import AgendaItemKind


@dataclass
class ProgrammeSpeaker:
    name: str
    url: str
    capacity: str


#: A stored text as the page shows it, with the language to mark it with when it is the English
#: text in place of a missing translation (None when it is in the page's language):
#: `anso.languages.shown_value`.
Text = tuple[str, str | None]


@dataclass
class ProgrammeItem:
    pk: int
    kind: str
    title: Text
    description: Text
    action_title: Text | None
    action_url: str | None
    speakers: list[ProgrammeSpeaker] = field(default_factory=list)


@dataclass
class ProgrammeSession:
    order: int
    title: Text
    date: datetime.date | None
    start_time: datetime.time | None
    end_time: datetime.time | None
    chair_name: str | None
    chair_url: str | None
    chair_capacity: str
    items: list[ProgrammeItem] = field(default_factory=list)


@dataclass
class Programme:
    """The sessions in order; `{{ programme.html }}` in a template writes them out."""

    sessions: list[ProgrammeSession]

    def __bool__(self) -> bool:
        return bool(self.sessions)

    def html(self) -> SafeString:
        return programme_html(self)


def url_by_slug(name: str) -> Callable[[str], str]:
    """The URL of the pattern `name` for a slug, from one `reverse()`: slugs hold only
    characters a URL path keeps as they are, and `quote` keeps it so for any other."""
    prefix, _, suffix = reverse(name, kwargs={"slug": "x"}).rpartition("x")
    return lambda slug: f"{prefix}{quote(slug)}{suffix}"


def person_name(honorific, given_name, family_name, name_order, name_original) -> str:
    return display_name(
        honorific or "", given_name or "", family_name or "", name_order or "", name_original or ""
    )


def _session_html(
    session: ProgrammeSession, labels: dict[str, str], kinds: dict[str, str]
) -> list[str]:
    order = session.order
    out = [
        f'<article id="session-{order}" class="card mb-3 session" '
        f'aria-labelledby="session-{order}-title">\n<div class="card-body">\n'
        f'<h3 id="session-{order}-title" class="h5 card-title"{lang_attribute(session.title[1])}>'
        f"{escape(session.title[0])}</h3>\n"
    ]
    if session.date or session.start_time:
        out.append('<p class="small text-body-secondary mb-1">')
        if session.date:
            out.append(
                f'<time datetime="{session.date.isoformat()}">'
                f"{escape(formats.date_format(session.date, 'DATE_FORMAT'))}</time>"
            )
        if session.start_time:
            out.append(
                f" · <time>{escape(formats.time_format(session.start_time, 'TIME_FORMAT'))}</time>"
            )
            if session.end_time:
                out.append(
                    f"\N{EN DASH}<time>"
                    f"{escape(formats.time_format(session.end_time, 'TIME_FORMAT'))}</time>"
                )
        out.append("</p>\n")
    if session.chair_name:
        capacity = f", {escape(session.chair_capacity)}" if session.chair_capacity else ""
        out.append(
            f'<p class="mb-2 session-chair">{labels["chair"]} '
            f'<a href="{escape(session.chair_url)}">{escape(session.chair_name)}</a>'
            f"{capacity}</p>\n"
        )
    if session.items:
        out.append('<ol class="list-unstyled mb-0 agenda">\n')
        for item in session.items:
            kind = kinds.get(item.kind) or escape(item.kind)
            out.append(
                f'<li id="item-{item.pk}" class="border-top pt-2 mt-2">'
                f'<span class="badge text-bg-secondary">{kind}</span> '
                f'<span class="fw-semibold"{lang_attribute(item.title[1])}>'
                f"{escape(item.title[0])}</span>\n"
            )
            if item.speakers:
                out.append('<ul class="list-unstyled ms-3 mb-1 speakers">')
                for speaker in item.speakers:
                    capacity = (
                        f', <span class="text-body-secondary">{escape(speaker.capacity)}</span>'
                        if speaker.capacity
                        else ""
                    )
                    out.append(
                        f'<li><a href="{escape(speaker.url)}">{escape(speaker.name)}</a>'
                        f"{capacity}</li>"
                    )
                out.append("</ul>\n")
            if item.description[0]:
                description = linebreaks(item.description[0], autoescape=True)
                lang = lang_attribute(item.description[1])
                out.append(f'<div class="small"{lang}>{description}</div>')
            if item.action_title:
                out.append(
                    f'<p class="small mb-0">{labels["action"]} <a href="{escape(item.action_url)}"'
                    f"{lang_attribute(item.action_title[1])}>{escape(item.action_title[0])}</a></p>"
                )
            out.append("</li>\n")
        out.append("</ol>\n")
    out.append("</div>\n</article>\n")
    return out


def programme_html(programme: Programme) -> SafeString:
    """The programme's markup. Labels are translated in the active language."""
    kinds = {value: escape(str(label)) for value, label in AgendaItemKind.choices}
    labels = {"chair": escape(gettext("Chair:")), "action": escape(gettext("Action plan:"))}
    out: list[str] = []
    for session in programme.sessions:
        out += _session_html(session, labels, kinds)
    return mark_safe("".join(out))  # noqa: S308 (every stored text above is escaped)
