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


def _person(person, capacity: str, *, inside: bool = False) -> str:
    """ "Prof. Qasim Jan, ANSO Vice-President" (with a closing comma when the name is the
    subject of a sentence that goes on)."""
    if not capacity:
        return str(person.display_name)
    return f"{person.display_name}, {capacity}" + ("," if inside else "")


def _topic(title: str) -> str:
    """A title used inside a sentence: first letter lowered unless it is an acronym."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _item_sentence(item: AgendaItem) -> str:
    speakers = list(item.speaker_set.all())
    label = AgendaItemKind(item.kind).label.lower() if item.kind else ""
    about = item.title.strip()
    if label and about.lower().startswith(f"{label}:"):
        about = about[len(label) + 1 :].strip()  # "Discussion: ANSO scholarships"
    if about.lower() in {label, "welcome", "discussion"}:
        about = ""
    if not speakers:
        if item.kind == AgendaItemKind.DISCUSSION:
            return (
                f"A discussion on {_topic(about)} followed." if about else "A discussion followed."
            )
        return _sentence(about) if about else ""
    who = " and ".join(_person(s.person, s.capacity, inside=True) for s in speakers)
    phrase = ITEM_PHRASES.get(item.kind, "spoke")
    if about and item.kind != AgendaItemKind.WELCOME:
        phrase += f" on {_topic(about)}"
    return f"{who} {phrase}."


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
            name = "opening session"
        elif session.kind == SessionKind.CLOSING:
            name = "closing session"
        else:
            word = ORDINAL_WORDS[index] if index < len(ORDINAL_WORDS) else f"{index + 1}th"
            name = f"{word} session"
        generic_title = session.title.strip().lower() in {name, f"the {name}", ""}
        sentences = []
        if session.chair_id:
            on = "" if generic_title else f", on {_topic(session.title)},"
            sentences.append(
                f"The {name}{on} was chaired by {_person(session.chair, session.chair_capacity)}."
            )
        elif not generic_title:
            sentences.append(f"The {name} was on {_topic(session.title)}.")
        lead = "" if sentences else f"At the {name}, "
        for item in session.items.all():
            sentence = _item_sentence(item)
            if not sentence:
                continue
            if lead:
                sentence, lead = lead + sentence, ""
            sentences.append(sentence)
            if item.description:
                sentences.append(_sentence(item.description))
        if sentences:
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
