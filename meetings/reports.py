"""The draft news report of a meeting, written from its records in the style of the
Secretariat's reports ("The 1st ANSO Working Group Meeting was held in ... on 13-14 May 2019.
17 ANSO member organizations and 30 other participants from 14 countries and regions
attended. The opening session was chaired by Prof. Ailikun, ...")."""

import datetime

from django.db.models import Prefetch

from .models import AgendaItem, AgendaItemKind, Meeting, Participation, SessionKind, Speaker
from .statistics import meeting_statistics

ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]

ITEM_PHRASES = {
    AgendaItemKind.WELCOME: "gave a warm welcome to all the participants",
    AgendaItemKind.OPENING_ADDRESS: "gave an opening address",
    AgendaItemKind.PRESENTATION: "gave a presentation",
    AgendaItemKind.REPORT: "presented a report",
    AgendaItemKind.DISCUSSION: "led a discussion",
    AgendaItemKind.OTHER: "spoke",
}


def date_range(start: datetime.date, end: datetime.date) -> str:
    """'13-14 May 2019', '30 May-1 June 2019', '30 December 2019-2 January 2020'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B}-{end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y}-{end.day} {end:%B %Y}"


def _person(speaker_or_chair, capacity: str) -> str:
    return (
        f"{speaker_or_chair.display_name}, {capacity}"
        if capacity
        else str(speaker_or_chair.display_name)
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def meeting_report_draft(meeting: Meeting) -> str:
    """A draft report from the meeting's records: place and dates, attendance figures computed
    from the attendance records, then each session with its chair and speakers, then the
    decisions. The Secretariat edits it before publishing."""
    meeting = (
        Meeting.objects.select_related("body__organization")
        .prefetch_related(
            "sessions__chair",
            Prefetch(
                "sessions__items",
                queryset=AgendaItem.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "speaker_set",
                        queryset=Speaker.objects.select_related("person").order_by("order"),
                    )
                ),
            ),
            "decisions",
        )
        .get(pk=meeting.pk)
    )
    stats = meeting_statistics(meeting)
    alliance = meeting.body.organization.short_name or meeting.body.organization.name
    place = ", ".join(part for part in (meeting.venue, meeting.city) if part)
    paragraphs = []

    opening = f"The {meeting.title} was held"
    if place:
        opening += f" in {place}"
    opening += f" on {date_range(meeting.start_date, meeting.end_date)}."
    if stats.attended:
        opening += (
            f" {stats.member_organizations} {alliance} member organizations and "
            f"{stats.other_participants} other participants from {stats.countries} "
            f"countries and regions attended."
        )
    paragraphs.append(opening)

    for index, session in enumerate(meeting.sessions.all()):
        if session.kind == SessionKind.OPENING:
            name = "The opening session"
        elif session.kind == SessionKind.CLOSING:
            name = "The closing session"
        else:
            word = ORDINAL_WORDS[index] if index < len(ORDINAL_WORDS) else f"{index + 1}th"
            name = f"At the {word} session"
        sentences = []
        if session.chair_id and name.startswith("The"):
            sentences.append(
                f"{name} was chaired by {_person(session.chair, session.chair_capacity)}."
            )
        elif session.chair_id:
            sentences.append(
                f"{name}, chaired by {_person(session.chair, session.chair_capacity)}, "
                f"the programme was: {session.title}."
            )
        else:
            sentences.append(f"{name}: {session.title}.")
        for item in session.items.all():
            speakers = list(item.speaker_set.all())
            phrase = ITEM_PHRASES.get(item.kind, "spoke")
            if speakers:
                who = " and ".join(_person(s.person, s.capacity) for s in speakers)
                sentence = f"{who} {phrase}"
                if item.kind != AgendaItemKind.WELCOME:
                    sentence += f" on {item.title[0].lower()}{item.title[1:]}"
                sentences.append(sentence + ".")
            else:
                sentences.append(_sentence(item.title))
            if item.description:
                sentences.append(_sentence(item.description))
        paragraphs.append(" ".join(sentences))

    decisions = list(meeting.decisions.all())
    if decisions:
        paragraphs.append("The meeting decided: " + " ".join(_sentence(d.text) for d in decisions))
    return "\n\n".join(paragraphs)


def report_participants(meeting: Meeting):
    """Everyone holding a seat (registered, confirmed, attended), for the printed list."""
    return (
        Participation.objects.filter(meeting=meeting)
        .holding_seats()
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "pk")
    )
