"""Reads for the public meeting pages: each function returns what one page shows, with a fixed
number of queries however many sessions, items, participants or meetings there are."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import get_language
from django_countries.fields import Country

from anso.text.languages import fallback_lang, language_columns, language_picker
from members.models import Organization, Person, Position
from members.names import display_name

from .attendance.models import Participation, ParticipationStatus
from .documents.access import Audience
from .documents.listing import action_presentations, public_presentations
from .models import (
    Action,
    ActionProgress,
    AgendaItem,
    AgendaItemKind,
    Decision,
    Meeting,
    Session,
    Speaker,
)
from .programme import (
    PERSON_FIELDS,
    ItemRow,
    PersonLink,
    Programme,
    SessionRow,
    SpeakerRow,
    url_builder,
)

#: The permission that lets staff see meetings before they are published.
VIEW_MEETING_PERMISSION = "meetings.view_meeting"


def visible_meetings(*, user: User | AnonymousUser | None = None) -> QuerySet[Meeting]:
    """Published meetings; every meeting for staff allowed to view meetings."""
    if user is not None and user.is_active and user.has_perm(VIEW_MEETING_PERMISSION):
        return Meeting.objects.all()
    return Meeting.objects.published()


def meeting_list(*, user: User | AnonymousUser | None = None) -> QuerySet[Meeting]:
    return visible_meetings(user=user).select_related("body")


def meeting_get(*, year: int, slug: str, user: User | AnonymousUser | None = None) -> Meeting:
    """The meeting with its decisions and its minutes with the decision that approved them,
    joined (its programme: `meeting_programme`; the minutes' parts:
    `meetings.record.selectors.minutes_shown`). Raises Meeting.DoesNotExist for a meeting the
    user may not see."""
    return (
        visible_meetings(user=user)
        .select_related("body", "minutes__approved_by_decision__meeting")
        # With each decision's vote, if any (its result is linked once closed).
        .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("vote")))
        .get(start_date__year=year, slug=slug)
    )


def meeting_programme(*, meeting: Meeting, today: datetime.date | None = None) -> Programme:
    """The meeting's sessions in order with their chairs, agenda items, speakers and actions,
    as named rows of plain values: three queries, however long the programme (one without
    sessions). Each text is read in every language: the rows hold the one the page shows, the
    English one where the translation is missing (marked by its `*_lang`, to write
    `lang="en"`). Each chair and speaker is named and linked once. An item's action is marked
    overdue on `today` (by default the local date) by `Action.objects.overdue`."""
    today = today or timezone.localdate()
    chair = ("chair_id", "chair__slug", "chair__erased_at")
    chair += tuple(f"chair__{name}" for name in PERSON_FIELDS)
    person = ("person_id", "person__slug", "person__erased_at")
    person += tuple(f"person__{name}" for name in PERSON_FIELDS)
    titles, descriptions = language_columns("title"), language_columns("description")
    shown = language_picker()
    n = len(titles)
    people: dict[int, PersonLink] = {}
    person_url = url_builder("person_detail")

    language = get_language()  # once, not once a person

    def person_link(pk: int, slug: str, erased_at, *fields) -> PersonLink:
        """Named and linked; a person erased on request is named ("a participant") and not
        linked, since they have no page."""
        url = "" if erased_at else person_url(slug)
        link = people[pk] = PersonLink(display_name(*fields, language=language), url)
        return link

    sessions = list(
        Session.objects.filter(meeting=meeting)
        .order_by("order")
        .values_list(
            "pk", "order", *titles, "date", "start_time", "end_time", "chair_capacity", *chair
        )
    )
    if not sessions:
        return Programme(sessions=())
    items = list(
        AgendaItem.objects.filter(session__meeting=meeting)
        .annotate(
            action_overdue=Exists(
                Action.objects.overdue(on=today).filter(pk=OuterRef("action_id"))
            )
        )
        .order_by("order", "pk")
        .values_list(
            "pk", "session_id", "kind", *titles, *descriptions,
            *(f"action__{column}" for column in titles),
            "action__slug", "action_id", "action__order", "action__status", "action_overdue",
        )
    )  # fmt: skip
    # Each row is made whole, its speakers or items in it (tuples: see meetings/programme.py).
    speakers: dict[int, list[SpeakerRow]] = defaultdict(list)
    for item_id, capacity, person_id, *person_fields in (
        Speaker.objects.filter(item__session__meeting=meeting)
        .order_by("order", "pk")
        .values_list("item_id", "capacity", *person)
    ):
        link = people.get(person_id) or person_link(person_id, *person_fields)
        speakers[item_id].append(SpeakerRow(link.name, link.url, capacity))
    kinds = {value: str(label) for value, label in AgendaItemKind.choices}
    action_url = url_builder("meetings:action_detail")
    by_session: dict[int, list[ItemRow]] = defaultdict(list)
    for pk, session_id, kind, *texts, slug, action_id, action_order, status, overdue in items:
        title, title_lang = shown(texts[:n])
        description, description_lang = shown(texts[n : 2 * n])
        action_title, action_lang = shown(texts[2 * n :])
        by_session[session_id].append(
            ItemRow(
                pk, kinds.get(kind) or kind, title, title_lang, description, description_lang,
                action_id, action_order, action_title or None, action_lang,
                action_url(slug) if slug else "", status, tuple(speakers.get(pk, ())),
                bool(overdue), kind,
            )
        )  # fmt: skip
    rows = []
    for pk, order, *rest in sessions:
        title, title_lang = shown(rest[:n])
        date, start_time, end_time, chair_capacity, chair_id, *chair_fields = rest[n:]
        chair_link = (
            (people.get(chair_id) or person_link(chair_id, *chair_fields)) if chair_id else None
        )
        rows.append(
            SessionRow(
                pk, order, title, title_lang, date, start_time, end_time, chair_link,
                chair_capacity, tuple(by_session.get(pk, ())),
            )
        )  # fmt: skip
    return Programme(sessions=tuple(rows))


#: The calendar feed lists meetings that ended at most this long ago, and those to come ...
CALENDAR_PAST = datetime.timedelta(days=365)
#: ... at most this many, the nearest first (a feed reader needs the near ones; each
#: meeting's page has its own .ics file whatever its date).
CALENDAR_LIMIT = 100
CALENDAR_FIELDS = ("title", "slug", "start_date", "end_date", "venue", "city", "country", "summary")


def calendar_meetings(*, today: datetime.date) -> QuerySet[Meeting]:
    """The meetings of the calendar feed: published, ended within CALENDAR_PAST or still to
    come, in date order, at most CALENDAR_LIMIT."""
    return (
        Meeting.objects.published()
        .filter(end_date__gte=today - CALENDAR_PAST)
        .order_by("start_date", "pk")
        .only(*CALENDAR_FIELDS)
    )[:CALENDAR_LIMIT]


def meeting_get_brief(*, year: int, slug: str, user: User | AnonymousUser | None = None) -> Meeting:
    """The meeting alone, without its programme (for the calendar file)."""
    return visible_meetings(user=user).get(start_date__year=year, slug=slug)


def meeting_years() -> list[int]:
    return [d.year for d in Meeting.objects.published().dates("start_date", "year", "DESC")]


def meeting_countries() -> list[Country]:
    codes = (
        Meeting.objects.published()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted((Country(code=code) for code in codes), key=lambda c: c.name)


def next_meeting(*, today: datetime.date) -> Meeting | None:
    return Meeting.objects.published().upcoming(today).select_related("body").first()


def latest_meetings(*, today: datetime.date, limit: int = 5) -> list[Meeting]:
    return list(Meeting.objects.published().past(today).select_related("body")[:limit])


#: Presentations of an action shown on the action plan; its page shows them all.
LATEST_PRESENTATIONS = 3
#: Progress notes of an action shown on the action plan (the latest); its page shows them all.
LATEST_PROGRESS = 3


def _presentations() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(session__meeting__is_published=True).select_related(
        "session__meeting"
    )


@dataclass(frozen=True)
class Presentation:
    """An agenda item where an action was presented or discussed, as the action plan lists
    it: a link to the item on its meeting's page. `meeting_lang` and `lang` are "en" where the
    text shown is the English one in place of a missing translation."""

    url: str
    meeting_title: str
    meeting_lang: str | None
    title: str
    lang: str | None


#: What the action plan shows of an action beside its own fields: where it was endorsed and
#: its owner (an organization, a body or a person: `Action.owner`).
_ACTION_RELATED = (
    "endorsed_by__meeting",
    "endorsed_at",
    "owner_organization",
    "owner_body",
    "owner_person",
)


def actions_shown(*, today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions with where they were endorsed, their owner, whether they are overdue on `today`
    (`is_overdue`, by `Action.objects.overdue`) and their progress notes in date order
    (`progress`, each with the meeting it was reported at)."""
    notes = ActionProgress.objects.select_related("meeting__body").order_by("date", "pk")
    return (
        Action.objects.select_related(*_ACTION_RELATED)
        .with_overdue(on=today or timezone.localdate())
        .prefetch_related(Prefetch("progress", queryset=notes))
    )


def with_latest(actions: list[Action]) -> list[Action]:
    """`actions` (from `actions_shown`), each with what the action plan lists of it in place of
    all: its latest three progress notes, in date order (`latest_progress`), and how many it
    has (`progress_count`); its latest three presentations and discussions at published
    meetings, the newest first (`latest_items`, by `latest_presentations`), and how many there
    are (`presented_count`). An action on the agenda of hundreds of meetings would otherwise
    list every one. Two queries (none without actions)."""
    latest = latest_presentations([action.pk for action in actions])
    for action in actions:
        notes = list(action.progress.all())
        action.latest_progress, action.progress_count = notes[-LATEST_PROGRESS:], len(notes)
        action.latest_items, action.presented_count = latest.get(action.pk, ([], 0))
    return actions


def latest_presentations(action_ids: Iterable[int]) -> dict[int, tuple[list[Presentation], int]]:
    """For each of the actions `action_ids` that was presented or discussed at a published
    meeting: the latest LATEST_PRESENTATIONS of those agenda items, the newest first (by the
    meeting's date, then the session's and the item's order, from the last), as
    `Presentation`s, and how many there are in all. Actions never presented are left out.

    Two queries however many actions and items: the items ranked and counted per action in one
    pass (window functions, on their ids and sort keys alone), then the fields shown of those
    ranked first, as plain rows."""
    action_ids = list(action_ids)
    if not action_ids:
        return {}
    per_action = {"partition_by": F("action_id")}
    titles = language_columns("title")
    shown, n = language_picker(), len(titles)
    meeting_url = url_builder("meetings:meeting_detail", "year", "slug")
    # Ranked and counted on narrow rows (ids and sort keys): sorting the items' titles too
    # made it take twice as long.
    ranked = list(
        AgendaItem.objects.filter(session__meeting__is_published=True, action_id__in=action_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                order_by=(
                    F("session__meeting__start_date").desc(),
                    F("session__order").desc(),
                    F("order").desc(),
                ),
                **per_action,
            ),
            total=Window(Count("pk"), **per_action),
        )
        .filter(rank__lte=LATEST_PRESENTATIONS)
        .order_by("action_id", "rank")
        .values_list("action_id", "pk", "total")
    )
    shown_items = (
        AgendaItem.objects.filter(pk__in=[pk for _action_id, pk, _total in ranked])
        .values_list("pk", "session__meeting__start_date", "session__meeting__slug",
                     *(f"session__meeting__{column}" for column in titles), *titles)
    ) if ranked else ()  # fmt: skip
    fields = {pk: rest for pk, *rest in shown_items}
    latest: dict[int, tuple[list[Presentation], int]] = {}
    for action_id, pk, total in ranked:
        start, slug, *texts = fields[pk]
        meeting_title, meeting_lang = shown(texts[:n])
        title, lang = shown(texts[n:])
        items, _total = latest.setdefault(action_id, ([], total))
        items.append(
            Presentation(
                url=f"{meeting_url(start.year, slug)}#item-{pk}",
                meeting_title=meeting_title,
                meeting_lang=meeting_lang,
                title=title,
                lang=lang,
            )
        )
    return latest


def action_list(
    *, audience: Audience = Audience.PUBLIC, today: datetime.date | None = None
) -> list[Action]:
    """The action plan: each action's owner, due date, whether it is overdue, where it was
    endorsed, and what `with_latest` gives it: its latest three progress notes
    (`latest_progress`) and how many (`progress_count`), the latest three of its
    presentations and discussions at published meetings (`latest_items`, as
    `Presentation`s) and how many (`presented_count`). With them, the latest presentations
    `audience` may read (`presentation_files`: the files on the action or on the agenda items
    that presented it, as `meetings.documents.listing` rows) and how many there are
    (`presentation_files_count`).

    Six queries: the actions, their progress notes, their latest presentations in two
    (`latest_presentations`), then the documents, ranked and counted the same way, and their
    versions."""
    actions = with_latest(list(actions_shown(today=today)))
    documents, documents_count = action_presentations(audience=audience) if actions else ({}, {})
    for action in actions:
        action.presentation_files = documents.get(action.pk, [])
        action.presentation_files_count = documents_count.get(action.pk, 0)
    return actions


def action_with_presentations(*, today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions as the action plan shows them (`actions_shown`) with every presentation and
    discussion at a published meeting, in order (`agenda_items`; `presentations()` lists
    them)."""
    items = _presentations().order_by("session__meeting__start_date", "session__order", "order")
    return actions_shown(today=today).prefetch_related(Prefetch("agenda_items", queryset=items))


def presentations(items: Iterable[AgendaItem]) -> list[Presentation]:
    """Agenda items (with their session and meeting) as the action plan lists them."""
    return [
        Presentation(
            url=f"{item.session.meeting.get_absolute_url()}#item-{item.pk}",
            meeting_title=item.session.meeting.title,
            meeting_lang=fallback_lang(item.session.meeting, "title"),
            title=item.title,
            lang=fallback_lang(item, "title"),
        )
        for item in items
    ]


def person_talks(*, person: Person) -> QuerySet[Speaker]:
    return (
        Speaker.objects.filter(person=person, item__session__meeting__is_published=True)
        .select_related("item__session__meeting")
        .order_by("-item__session__meeting__start_date", "item__session__order", "item__order")
    )


def meetings_attended_by_organization(*, organization: Organization) -> QuerySet[Meeting]:
    """Published meetings someone attended for the organization, with how many came."""
    attended = Q(
        participations__organization=organization,
        participations__status=ParticipationStatus.ATTENDED,
    )
    return (
        Meeting.objects.published()
        .filter(attended)
        .annotate(delegates=Count("participations", filter=attended))
        .select_related("body")
        .order_by("-start_date")
    )


def meetings_attended_by_person(*, person: Person) -> QuerySet[Participation]:
    """The person's attendance at published meetings, only where they agreed to be listed."""
    return (
        Participation.objects.attended()
        .filter(person=person, meeting__is_published=True)
        .listed_publicly()
        .select_related("meeting", "organization")
        .order_by("-meeting__start_date")
    )


def sessions_chaired_by(*, person: Person) -> QuerySet[Session]:
    return (
        Session.objects.filter(chair=person, meeting__is_published=True)
        .select_related("meeting")
        .order_by("-meeting__start_date", "order")
    )


def people_shown() -> QuerySet[Person]:
    """The people who have a public page (`meetings.site.views.person_detail`'s rule, as one
    query): those who hold a position listed publicly, chaired a session or spoke at a
    published meeting, attended one and agreed to be listed, or gave a presentation the
    public may read."""
    person = OuterRef("pk")
    published = {"meeting__is_published": True}
    return Person.objects.filter(
        Exists(Position.objects.listed_publicly().filter(person=person))
        | Exists(Session.objects.filter(chair=person, **published))
        | Exists(Speaker.objects.filter(person=person, item__session__meeting__is_published=True))
        | Exists(
            Participation.objects.attended().listed_publicly().filter(person=person, **published)
        )
        | Exists(public_presentations().filter(presented_by=person))
    ).select_related("organization")
