"""What each kind of result searches: its records as the public pages show them (published
meetings, approved minutes, public documents, people with a public page), the columns of both
languages matched, and how a hit is titled, linked and quoted. Never an email or a phone:
those columns are not searched, read or shown."""

import dataclasses
from collections.abc import Callable

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Organization, Person, Position

from ..attendance.models import Participation, ParticipationStatus
from ..documents.access import Audience
from ..documents.models import Document
from ..models import Action, AgendaItem, Decision, Meeting, Session, Speaker
from ..record.models import Minutes, MinutesPart


def _both(*fields: str) -> tuple[str, ...]:
    """The English and Chinese columns of translated fields."""
    return tuple(f"{field}_{lang}" for field in fields for lang in ("en", "zh_hans"))


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    #: The records a visitor may find, with what `title`, `url` and `texts` read.
    records: Callable[[], QuerySet]
    #: Columns matched, both languages; the first ones are the title's.
    fields: tuple[str, ...]
    #: Of `fields`, those holding English prose: full-text searched on PostgreSQL.
    english: tuple[str, ...]
    title: Callable[[Model], str]
    url: Callable[[Model], str]
    #: The texts a quote is taken from, the page's language first.
    texts: Callable[[Model], list[str]]
    #: Columns that rank a hit first where they match (its title, its name).
    title_fields: tuple[str, ...] = ()
    #: For a kind whose rule of what a visitor may find is costly to test on every row
    #: (people): `records` are then all the candidates, and this gives those of the ranked
    #: candidate keys a visitor may find, its tests read for those keys alone.
    findable_among: Callable[..., QuerySet] | None = None


def _meetings() -> QuerySet:
    return Meeting.objects.published()


def _agenda_items() -> QuerySet:
    return AgendaItem.objects.filter(session__meeting__is_published=True).select_related(
        "session__meeting"
    )


def _decisions() -> QuerySet:
    return Decision.objects.filter(meeting__is_published=True).select_related("meeting")


def _actions() -> QuerySet:
    return Action.objects.all()


def _minutes_parts() -> QuerySet:
    return MinutesPart.objects.filter(minutes__in=Minutes.objects.public()).select_related(
        "minutes__meeting", "agenda_item"
    )


def _organizations() -> QuerySet:
    return Organization.objects.all()


def _people() -> QuerySet:
    """Every person, as candidates: only the name fields are read. Which of them a visitor
    may find is `_people_with_a_public_page`."""
    return Person.objects.only(
        "slug", "honorific", "given_name", "family_name", "name_order", "name_original"
    )


def _people_with_a_public_page(keys) -> QuerySet:
    """Of the people `keys` (a list, or a query of keys: `backends.key_set`), those with a
    public page (`meetings.site.views.person_detail`): a position listed publicly, a listed
    attendance, a talk or a chair at a published meeting, or a public presentation. The tests
    are read person by person (index lookups) for these keys alone, where testing every
    person would read every participation."""
    person = OuterRef("pk")
    return Person.objects.filter(pk__in=keys).filter(
        Exists(Position.objects.listed_publicly().filter(person=person))
        | Exists(
            Participation.objects.filter(
                person=person,
                status=ParticipationStatus.ATTENDED,
                listed_publicly=True,
                meeting__is_published=True,
            )
        )
        | Exists(Speaker.objects.filter(person=person, item__session__meeting__is_published=True))
        | Exists(Session.objects.filter(chair=person, meeting__is_published=True))
        | Exists(Document.objects.visible_to(Audience.PUBLIC).filter(presented_by=person))
    )


def _documents() -> QuerySet:
    return Document.objects.visible_to(Audience.PUBLIC).select_related(
        "agenda_item__session__meeting", "session__meeting", "meeting", "action"
    )


def _minutes_url(part: MinutesPart) -> str:
    return f"{part.minutes.meeting.get_absolute_url()}#minutes"


def _minutes_title(part: MinutesPart) -> str:
    heading = part.agenda_item.title if part.agenda_item_id else part.heading
    return f"{part.minutes.meeting.title}: {heading}" if heading else part.minutes.meeting.title


def _values(obj: Model, *fields: str) -> list[str]:
    return [value for field in fields if (value := getattr(obj, field, None))]


KINDS: tuple[Kind, ...] = (
    Kind(
        key="meetings",
        label=_("Meetings"),
        records=_meetings,
        fields=_both("title", "venue", "city", "summary"),
        english=("title_en", "venue_en", "city_en", "summary_en"),
        title_fields=_both("title"),
        title=lambda m: m.title,
        url=lambda m: m.get_absolute_url(),
        texts=lambda m: _values(m, "summary", "venue", "city", *_both("summary")),
    ),
    Kind(
        key="agenda",
        label=_("Agenda items"),
        records=_agenda_items,
        fields=_both("title", "description"),
        english=("title_en", "description_en"),
        title_fields=_both("title"),
        title=lambda i: i.title,
        url=lambda i: i.get_absolute_url(),
        texts=lambda i: (
            [*_values(i, "description", *_both("description")), i.session.meeting.title]
        ),
    ),
    Kind(
        key="decisions",
        label=_("Decisions"),
        records=_decisions,
        fields=_both("text"),
        english=("text_en",),
        title=lambda d: d.meeting.title,
        url=lambda d: d.get_absolute_url(),
        texts=lambda d: _values(d, "text", *_both("text")),
    ),
    Kind(
        key="actions",
        label=_("Actions"),
        records=_actions,
        fields=_both("title", "description"),
        english=("title_en", "description_en"),
        title_fields=_both("title"),
        title=lambda a: a.title,
        url=lambda a: a.get_absolute_url(),
        texts=lambda a: _values(a, "description", *_both("description")),
    ),
    Kind(
        key="minutes",
        label=_("Minutes"),
        records=_minutes_parts,
        fields=_both("heading", "text"),
        english=("heading_en", "text_en"),
        title_fields=_both("heading"),
        title=_minutes_title,
        url=_minutes_url,
        texts=lambda p: _values(p, "text", *_both("text")),
    ),
    Kind(
        key="organizations",
        label=_("Organizations"),
        records=_organizations,
        fields=_both("name", "short_name"),
        english=("name_en", "short_name_en"),
        title_fields=_both("name", "short_name"),
        title=lambda o: o.name,
        url=lambda o: o.get_absolute_url(),
        texts=lambda o: _values(o, "short_name", *_both("name", "short_name")),
    ),
    Kind(
        key="people",
        label=_("People"),
        records=_people,
        findable_among=_people_with_a_public_page,
        fields=("given_name", "family_name", "name_original"),
        english=("given_name", "family_name"),
        title_fields=("given_name", "family_name", "name_original"),
        title=lambda p: p.display_name,
        url=lambda p: p.get_absolute_url(),
        texts=lambda p: _values(p, "name_in_other_script"),
    ),
    Kind(
        key="documents",
        label=_("Documents"),
        records=_documents,
        fields=_both("title"),
        english=("title_en",),
        title_fields=_both("title"),
        title=lambda d: d.title,
        url=lambda d: d.get_absolute_url(),
        texts=lambda d: _values(d, *_both("title")),
    ),
)

KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def no_match() -> Q:
    """A condition nothing meets (a query with no usable word)."""
    return Q(pk__in=[])
