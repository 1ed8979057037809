"""A meeting's programme as its page shows it: sessions, their chairs, agenda items, speakers
and the actions of the plan presented.

A programme can have a thousand agenda items with two speakers each. Read as model instances
and rendered through the template engine, that took 0.7-0.9 s a page: most of it resolving
some 16,000 template variables (each a chain of attribute lookups), a `reverse()` per speaker
and a translation lookup per label. Here the programme is read as plain rows (three queries,
no model instances, no object per row) and written out in one pass:

- links are built from one `reverse()` per URL pattern (`url_builder`);
- each person (chair or speaker) is named and linked once, however often they speak;
- stored texts are escaped a column at a time, in one pass of `html.escape` over all of them
  (`escape_each`), and a session's date and times are formatted once per distinct value;
- labels are translated once per render.

The markup is the one the page had (`templates/meetings/meeting_detail.html` inserts it).
"""

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape  # Django's escape() is this, wrapped for lazy strings: a third slower
from urllib.parse import quote

from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from anso.dates import format_date
from anso.languages import english_lang, lang_attribute
from members.names import display_name

from .documents.listing import MeetingDocuments
from .documents.markup import documents_html
from .models import ActionStatus, AgendaItemKind

#: The person fields a programme reads for a chair or a speaker (with `slug` for the link).
PERSON_FIELDS = ("honorific", "given_name", "family_name", "name_order", "name_original")


@dataclass
class Programme:
    """A meeting's programme as rows (`meetings.selectors.meeting_programme`);
    `{{ programme.html }}` in a template writes it out.

    - sessions: (pk, order, title, date, start_time, end_time, chair_capacity, chair_id,
      chair_slug, *chair's PERSON_FIELDS), in order;
    - items: (pk, session_id, kind, title, description, action_title, action_slug, action_id,
      action_order, action_status), in order;
    - speakers: (item_id, capacity, person_id, slug, *PERSON_FIELDS), in order;
    - marks: the language of each session title ("session"), item title ("item"), description
      ("description") and action title ("action"), in the rows' order, where the text shown
      is the English one in place of a missing translation (else None);
    - documents: the documents the visitor may read, listed under their session or agenda
      item (`meetings.documents.listing.meeting_documents`).
    """

    sessions: Sequence[tuple]
    items: Sequence[tuple]
    speakers: Sequence[tuple]
    marks: dict[str, list] = field(default_factory=dict)
    documents: MeetingDocuments | None = None

    def __bool__(self) -> bool:
        return bool(self.sessions)

    def html(self) -> SafeString:
        return programme_html(self)

    def actions(self) -> list["PresentedAction"]:
        """The actions of the plan presented or discussed, each once, in plan order."""
        marks = self.marks.get("action") or [None] * len(self.items)
        actions = {
            row[7]: (row[8], row[5], row[6], row[9], lang)
            for row, lang in zip(self.items, marks, strict=True)
            if row[7] is not None
        }
        url = url_builder("meetings:action_detail")
        statuses = dict(ActionStatus.choices)
        return [
            PresentedAction(
                title=title, url=url(slug), status=statuses.get(status, status), lang=lang
            )
            for _, title, slug, status, lang in sorted(actions.values(), key=lambda a: a[:2])
        ]


@dataclass(frozen=True)
class PresentedAction:
    """An action presented at the meeting, as the meeting's page lists it."""

    title: str
    url: str
    status: str
    #: "en" where the title is the English one in place of a missing translation.
    lang: str | None = None


def url_builder(name: str, *params: str) -> Callable[..., str]:
    """The URL of the pattern `name` for values of its parameters (`slug` unless named), from
    one `reverse()`: each parameter is reversed with a marker of digits, which the path then
    holds once, and the values go in their place (`quote`d: a slug keeps as it is)."""
    params = params or ("slug",)
    markers = {param: str(9001 + index) for index, param in enumerate(params)}
    rest = reverse(name, kwargs=markers)
    parts = []
    for marker in markers.values():
        before, _, rest = rest.partition(marker)
        parts.append(before)
    return lambda *values: (
        "".join(part + quote(str(value)) for part, value in zip(parts, values, strict=True)) + rest
    )


def escape_each(texts: list[str]) -> list[str]:
    """`html.escape` of each text (None as ""), in one pass over all of them joined by a NUL,
    which escaping keeps and stored text never holds (checked: else one by one)."""
    texts = [text or "" for text in texts]
    escaped = escape("\0".join(texts)).split("\0")
    if len(escaped) != len(texts):
        return [escape(text) for text in texts]
    return escaped


_PARAGRAPHS = re.compile(r"\n{2,}")


def linebreaks_escaped(text: str) -> str:
    """Django's `linebreaks` filter of an already escaped text (escaping leaves line breaks
    alone, so escaping first gives the same markup)."""
    if "\n" not in text and "\r" not in text:
        return f"<p>{text}</p>"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n\n".join(
        "<p>{}</p>".format(paragraph.replace("\n", "<br>")) for paragraph in _PARAGRAPHS.split(text)
    )


def _people_links(programme: Programme) -> dict[int, str]:
    """Each chair's and speaker's name linked to their page, escaped: once per person."""
    people = {row[7]: row[8:] for row in programme.sessions if row[7]}
    for row in programme.speakers:
        if row[2] not in people:
            people[row[2]] = row[3:]
    pks = list(people)
    rows = list(people.values())
    names = escape_each([display_name(*row[1:]) for row in rows])
    person_url = url_builder("person_detail")
    urls = escape_each([person_url(row[0]) for row in rows])
    return {
        pk: f'<a href="{url}">{name}</a>' for pk, url, name in zip(pks, urls, names, strict=True)
    }


def _speakers_html(programme: Programme, links: dict[int, str]) -> dict[int, str]:
    """Each item's list of speakers, by item."""
    capacities = escape_each([row[1] for row in programme.speakers])
    # A capacity is typed in English only: marked as such on a page in another language.
    english = lang_attribute(english_lang())
    by_item: dict[int, list[str]] = defaultdict(list)
    for (item_id, _, person_id, *_), capacity in zip(programme.speakers, capacities, strict=True):
        by_item[item_id].append(
            f"<li>{links[person_id]}, "
            f'<span class="text-body-secondary"{english}>{capacity}</span></li>'
            if capacity
            else f"<li>{links[person_id]}</li>"
        )
    return {
        item_id: '<ul class="list-unstyled ms-3 mb-1 speakers">' + "".join(lines) + "</ul>\n"
        for item_id, lines in by_item.items()
    }


def _items_html(programme: Programme, links: dict[int, str]) -> dict[int, list[str]]:
    """Each session's agenda items, by session."""
    kinds = {value: escape(str(label)) for value, label in AgendaItemKind.choices}
    action_label = escape(gettext("Action plan:"))
    action_url = url_builder("meetings:action_detail")
    speakers = _speakers_html(programme, links)
    documents = programme.documents.by_item if programme.documents else {}
    items = programme.items
    titles = escape_each([row[3] for row in items])
    descriptions = escape_each([row[4] for row in items])
    action_titles = escape_each([row[5] for row in items])
    action_urls = escape_each([action_url(row[6]) if row[6] else "" for row in items])
    unmarked = [None] * len(items)
    title_langs, description_langs, action_langs = (
        [lang_attribute(lang) for lang in programme.marks.get(kind) or unmarked]
        for kind in ("item", "description", "action")
    )
    by_session: dict[int, list[str]] = defaultdict(list)
    for index, (pk, session, kind, *_) in enumerate(items):
        out = by_session[session]
        out.append(
            f'<li id="item-{pk}" class="border-top pt-2 mt-2">'
            f'<span class="badge text-bg-secondary">{kinds.get(kind) or escape(kind)}</span> '
            f'<span class="fw-semibold"{title_langs[index]}>{titles[index]}</span>\n'
        )
        if pk in speakers:
            out.append(speakers[pk])
        if descriptions[index]:
            out.append(
                f'<div class="small"{description_langs[index]}>'
                f"{linebreaks_escaped(descriptions[index])}</div>"
            )
        if pk in documents:
            out.append(documents_html(documents[pk]))
        if action_titles[index]:
            out.append(
                f'<p class="small mb-0">{action_label} <a href="{action_urls[index]}"'
                f"{action_langs[index]}>{action_titles[index]}</a></p>"
            )
        out.append("</li>\n")
    return by_session


def _when_html(date, start_time, end_time, formatted: dict) -> str:
    """The session's date and times, each value formatted once per render (`formatted`)."""

    def format_once(value, format_name: str) -> str:
        key = (value, format_name)
        if key not in formatted:
            # A day as every page writes it (anso/dates.py); times in the locale's format.
            text = (
                format_date(value)
                if format_name == "DATE_FORMAT"
                else formats.time_format(value, format_name)
            )
            formatted[key] = escape(text)
        return formatted[key]

    out = ['<p class="small text-body-secondary mb-1">']
    if date:
        out.append(f'<time datetime="{date.isoformat()}">{format_once(date, "DATE_FORMAT")}</time>')
    if start_time:
        out.append(f" · <time>{format_once(start_time, 'TIME_FORMAT')}</time>")
        if end_time:
            out.append(f"\N{EN DASH}<time>{format_once(end_time, 'TIME_FORMAT')}</time>")
    out.append("</p>\n")
    return "".join(out)


def programme_html(programme: Programme) -> SafeString:
    """The programme's markup. Labels are translated in the active language."""
    links = _people_links(programme)
    items = _items_html(programme, links)
    chair_label = escape(gettext("Chair:"))
    sessions = programme.sessions
    titles = escape_each([row[2] for row in sessions])
    title_langs = [lang_attribute(lang) for lang in programme.marks.get("session") or []] or [
        ""
    ] * len(sessions)
    capacities = escape_each([row[6] for row in sessions])
    english = lang_attribute(english_lang())
    documents = programme.documents.by_session if programme.documents else {}
    formatted: dict = {}
    out: list[str] = []
    for index, (pk, order, _, date, start_time, end_time, _, chair_id, *_) in enumerate(sessions):
        out.append(
            f'<article id="session-{order}" class="card mb-3 session" '
            f'aria-labelledby="session-{order}-title">\n<div class="card-body">\n'
            f'<h3 id="session-{order}-title" class="h5 card-title"{title_langs[index]}>'
            f"{titles[index]}</h3>\n"
        )
        if date or start_time:
            out.append(_when_html(date, start_time, end_time, formatted))
        if chair_id:
            capacity = capacities[index]
            if capacity:
                capacity = f", <span{english}>{capacity}</span>" if english else f", {capacity}"
            out.append(
                f'<p class="mb-2 session-chair">{chair_label} {links[chair_id]}{capacity}</p>\n'
            )
        if pk in documents:
            out.append(documents_html(documents[pk]))
        if pk in items:
            out.append('<ol class="list-unstyled mb-0 agenda">\n')
            out += items[pk]
            out.append("</ol>\n")
        out.append("</div>\n</article>\n")
    return mark_safe("".join(out))  # noqa: S308 (every stored text above is escaped)
