"""A meeting's programme as its page shows it: sessions, their chairs, agenda items, speakers
and the actions of the plan presented.

A programme can have a thousand agenda items with two speakers each. Read as model instances
and rendered through Django's template engine, that took 0.7-0.9 s a page: most of it
resolving some 16,000 template variables (each a chain of attribute lookups), a `reverse()`
per speaker and a translation lookup per label. Here the programme is read as named rows of
plain values (`meetings.selectors.meeting_programme`: three queries, no model instances) and
written out by one Jinja2 template (templates/jinja2/meetings/programme.html, compiled once,
every value escaped: anso/fragments.py):

- links are built from one `reverse()` per URL pattern (`url_builder`);
- each person (chair or speaker) is named and linked once (`PersonLink`), however often they
  speak;
- labels are translated once per render.

The markup is the one the page had (`templates/meetings/meeting_detail.html` inserts it).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from anso.fragments import render_fragment
from anso.text.languages import english_lang

from .documents.listing import MeetingDocuments
from .models import ActionStatus

#: The person fields a programme reads for a chair or a speaker (with `slug` for the link).
PERSON_FIELDS = ("honorific", "given_name", "family_name", "name_order", "name_original")


# The rows are named tuples, not dataclasses: a programme has thousands, alive for the whole
# render, and the garbage collector stops tracking a tuple of plain values (strings, numbers,
# dates) once it has seen it, where it keeps scanning every dataclass instance. As dataclasses
# they made a 1,000-item programme's render a third slower, most of it in full collections.


class PersonLink(NamedTuple):
    """A chair or a speaker as the programme names them, with the link to their page: one
    for each person, however often they chair or speak."""

    name: str
    url: str


class SpeakerRow(NamedTuple):
    """A speaker of an agenda item: their name and link (their `PersonLink`'s, copied: two
    lookups fewer for each of a few thousand speakers) and the capacity they spoke in."""

    name: str
    url: str
    #: Typed in English only: marked as such on a page in another language.
    capacity: str


class ItemRow(NamedTuple):
    """An agenda item. `*_lang` is "en" where the text shown is the English one in place of
    a missing translation (else None); the `action_*` fields are those of the action of the
    plan it presented or discussed (None without one)."""

    pk: int
    kind: str  # its label, in the active language
    title: str
    title_lang: str | None
    description: str
    description_lang: str | None
    action_id: int | None
    action_order: int | None
    action_title: str | None
    action_lang: str | None
    action_url: str
    action_status: str | None
    speakers: tuple[SpeakerRow, ...]
    #: Its action is overdue (`Action.objects.overdue`) on the day the page is made.
    action_overdue: bool = False
    #: Its kind's value (`AgendaItemKind`), where `kind` is the label.
    kind_value: str = ""


class SessionRow(NamedTuple):
    """A session with its agenda items in order. `title_lang` as `ItemRow`'s."""

    pk: int
    order: int
    title: str
    title_lang: str | None
    date: datetime.date | None
    start_time: datetime.time | None
    end_time: datetime.time | None
    chair: PersonLink | None
    chair_capacity: str
    items: tuple[ItemRow, ...]


@dataclass
class Programme:
    """A meeting's programme (`meetings.selectors.meeting_programme`): its sessions in order,
    each with its agenda items, each with its speakers. `documents` are the documents the
    visitor may read, listed under their session or agenda item
    (`meetings.documents.listing.meeting_documents`). `{{ programme.html }}` in a template
    writes it out."""

    sessions: tuple[SessionRow, ...]
    documents: MeetingDocuments | None = None

    def __bool__(self) -> bool:
        return bool(self.sessions)

    def has_kind(self, *kinds: str) -> bool:
        """Whether an item of one of `kinds` (`AgendaItemKind` values) is in the programme."""
        return any(item.kind_value in kinds for session in self.sessions for item in session.items)

    def html(self) -> SafeString:
        """The programme's markup. Labels are translated in the active language."""
        documents = self.documents
        return render_fragment(
            "meetings/programme.html",
            {
                "sessions": self.sessions,
                "session_documents": documents.by_session if documents else {},
                "item_documents": documents.by_item if documents else {},
                "chair_label": gettext("Chair:"),
                "action_label": gettext("Action plan:"),
                # A capacity is typed in English only: marked so on a page in another language.
                "english": english_lang(),
            },
        )

    def actions(self) -> list["PresentedAction"]:
        """The actions of the plan presented or discussed, each once, in plan order."""
        statuses = dict(ActionStatus.choices)
        actions = {
            item.action_id: item
            for session in self.sessions
            for item in session.items
            if item.action_id is not None
        }
        return [
            PresentedAction(
                title=item.action_title,
                url=item.action_url,
                status=statuses.get(item.action_status, item.action_status),
                lang=item.action_lang,
                overdue=item.action_overdue,
            )
            for item in sorted(actions.values(), key=lambda i: (i.action_order, i.action_title))
        ]


@dataclass(frozen=True)
class PresentedAction:
    """An action presented at the meeting, as the meeting's page lists it."""

    title: str
    url: str
    status: str
    #: "en" where the title is the English one in place of a missing translation.
    lang: str | None = None
    overdue: bool = False


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
    if len(parts) == 1:  # a page's thousands of people: no generator for one value
        (before,) = parts
        return lambda value: before + quote(str(value)) + rest
    return lambda *values: (
        "".join(part + quote(str(value)) for part, value in zip(parts, values, strict=True)) + rest
    )
