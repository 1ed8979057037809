"""Reads for the public meeting pages: each function returns what one page shows, with a fixed
number of queries however many sessions, items, participants or meetings there are."""

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Prefetch, Q, QuerySet
from django_countries.fields import Country

from anso.languages import language_columns, shown_in_language
from members.models import Organization, Person

from .attendance.models import Participation, ParticipationStatus
from .models import Action, AgendaItem, Meeting, Session, Speaker
from .programme import (
    Programme,
    ProgrammeItem,
    ProgrammeSession,
    ProgrammeSpeaker,
    person_name,
    url_by_slug,
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
    """The meeting with its decisions (its programme: `meeting_programme`). Raises
    Meeting.DoesNotExist for a meeting the user may not see."""
    return (
        visible_meetings(user=user)
        .select_related("body")
        .prefetch_related("decisions")
        .get(start_date__year=year, slug=slug)
    )


_PERSON = ("honorific", "given_name", "family_name", "name_order", "name_original")


def meeting_programme(*, meeting: Meeting) -> Programme:
    """The meeting's sessions in order with their chairs, agenda items, speakers and actions,
    as plain rows: three queries, however long the programme."""
    person_url = url_by_slug("person_detail")
    action_url = url_by_slug("meetings:action_detail")
    # Each text in every language: the page shows the active one's, or the English one,
    # marked, where the translation is missing.
    titles, descriptions = language_columns("title"), language_columns("description")
    n = len(titles)
    sessions = {}
    for pk, order, date, start, end, capacity, chair_id, chair_slug, *values in (
        Session.objects.filter(meeting=meeting)
        .order_by("order")
        .values_list(
            "pk", "order", "date", "start_time", "end_time", "chair_capacity", "chair_id",
            "chair__slug", *titles, *(f"chair__{name}" for name in _PERSON),
        )
    ):  # fmt: skip
        sessions[pk] = ProgrammeSession(
            order=order,
            title=shown_in_language(values[:n]),
            date=date,
            start_time=start,
            end_time=end,
            chair_name=person_name(*values[n:]) if chair_id else None,
            chair_url=person_url(chair_slug) if chair_id else None,
            chair_capacity=capacity,
        )
    items = {}
    for pk, session_id, kind, action_slug, *values in (
        AgendaItem.objects.filter(session__meeting=meeting)
        .order_by("order", "pk")
        .values_list("pk", "session_id", "kind", "action__slug", *titles, *descriptions,
                     *(f"action__{column}" for column in titles))
    ):  # fmt: skip
        items[pk] = item = ProgrammeItem(
            pk=pk,
            kind=kind,
            title=shown_in_language(values[:n]),
            description=shown_in_language(values[n : 2 * n]),
            action_title=shown_in_language(values[2 * n :]) if action_slug else None,
            action_url=action_url(action_slug) if action_slug else None,
        )
        sessions[session_id].items.append(item)
    for item_id, capacity, slug, *person in (
        Speaker.objects.filter(item__session__meeting=meeting)
        .order_by("order", "pk")
        .values_list("item_id", "capacity", "person__slug", *(f"person__{n}" for n in _PERSON))
    ):
        items[item_id].speakers.append(
            ProgrammeSpeaker(name=person_name(*person), url=person_url(slug), capacity=capacity)
        )
    return Programme(sessions=list(sessions.values()))


#: The calendar feed lists meetings that ended at most this long ago, and those to come ...
CALENDAR_PAST = datetime.timedelta(days=2 * 365)
#: ... at most this many, the nearest first (a feed reader needs the near ones; each
#: meeting's page has its own .ics file whatever its date).
CALENDAR_LIMIT = 200
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


def meeting_actions_presented(*, meeting: Meeting) -> QuerySet[Action]:
    """Items of the action plan presented or discussed at the meeting, in plan order."""
    return Action.objects.filter(agenda_items__session__meeting=meeting).distinct()


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


def _presentations() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(session__meeting__is_published=True).select_related(
        "session__meeting"
    )


def action_list() -> QuerySet[Action]:
    """The action plan: where each action was endorsed, how often it was presented or
    discussed at published meetings, and the latest three of those (`latest_items`). An
    action on the agenda of hundreds of meetings would otherwise list every one."""
    latest = _presentations().order_by("-session__meeting__start_date", "-session__order", "-order")
    presented = Q(agenda_items__session__meeting__is_published=True)
    return (
        Action.objects.select_related("endorsed_by__meeting", "endorsed_at")
        .annotate(presented_count=Count("agenda_items", filter=presented))
        .prefetch_related(
            Prefetch("agenda_items", queryset=latest[:LATEST_PRESENTATIONS], to_attr="latest_items")
        )
    )


def action_with_presentations() -> QuerySet[Action]:
    """Actions with where they were endorsed and every presentation and discussion at a
    published meeting, in order (`agenda_items`)."""
    items = _presentations().order_by("session__meeting__start_date", "session__order", "order")
    return Action.objects.select_related("endorsed_by__meeting", "endorsed_at").prefetch_related(
        Prefetch("agenda_items", queryset=items)
    )


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
