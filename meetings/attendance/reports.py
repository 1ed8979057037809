"""The draft news report of a meeting, written from its records in the style of the
Secretariat's reports ("The 1st ANSO Working Group Meeting was held in ... on 13-14 May 2019.
17 ANSO member organizations and 28 other participants attended: 45 participants from 14
countries and regions. The opening session was chaired by Prof. Ailikun, ...")."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anso.dates import date_range

from ..models import AgendaItem, AgendaItemKind, Meeting, SessionKind, Speaker
from .models import Participation
from .selectors import AttendanceSummary, attendance_summary

ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]

#: What a speaker did at an item: (past tense, future tense).
ITEM_PHRASES = {
    AgendaItemKind.WELCOME: (
        "gave a warm welcome to all the participants",
        "will give a warm welcome to all the participants",
    ),
    AgendaItemKind.OPENING_ADDRESS: ("gave an opening address", "will give an opening address"),
    AgendaItemKind.PRESENTATION: ("gave a presentation", "will give a presentation"),
    AgendaItemKind.REPORT: ("presented a report", "will present a report"),
    AgendaItemKind.DISCUSSION: ("led a discussion", "will lead a discussion"),
    AgendaItemKind.OTHER: ("spoke", "will speak"),
}


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


def _item_sentence(item: AgendaItem, *, future: bool = False) -> str:
    speakers = list(item.speaker_set.all())
    label = AgendaItemKind(item.kind).label.lower() if item.kind else ""
    about = item.title.strip()
    if label and about.lower().startswith(f"{label}:"):
        about = about[len(label) + 1 :].strip()  # "Discussion: ANSO scholarships"
    if about.lower() in {label, "welcome", "discussion"}:
        about = ""
    if not speakers:
        if item.kind == AgendaItemKind.DISCUSSION:
            follows = "will follow" if future else "followed"
            return (
                f"A discussion on {_topic(about)} {follows}."
                if about
                else f"A discussion {follows}."
            )
        return _sentence(about) if about else ""
    who = " and ".join(_person(s.person, s.capacity, inside=True) for s in speakers)
    phrase = ITEM_PHRASES.get(item.kind, ITEM_PHRASES[AgendaItemKind.OTHER])[future]
    if about and item.kind != AgendaItemKind.WELCOME:
        phrase += f" on {_topic(about)}"
    return f"{who} {phrase}."


def attendance_sentence(summary: AttendanceSummary, *, alliance: str, future: bool) -> str:
    """The figures of the report: for a meeting held, who attended (member organizations and
    other participants, the total, countries and regions); before it, who has registered."""
    if future:
        if not summary.registered:
            return ""
        return ngettext(
            "%(count)d participant has registered so far.",
            "%(count)d participants have registered so far.",
            summary.registered,
        ) % {"count": summary.registered}
    if not summary.attended:
        return ""
    members = ngettext(
        "%(count)d %(alliance)s member organization",
        "%(count)d %(alliance)s member organizations",
        summary.member_organizations,
    ) % {"count": summary.member_organizations, "alliance": alliance}
    others = ngettext(
        "%(count)d other participant",
        "%(count)d other participants",
        summary.other_participants,
    ) % {"count": summary.other_participants}
    total = ngettext("%(count)d participant", "%(count)d participants", summary.attended) % {
        "count": summary.attended
    }
    countries = ngettext(
        "%(count)d country or region", "%(count)d countries and regions", summary.countries
    ) % {"count": summary.countries}
    return _("%(members)s and %(others)s attended: %(total)s from %(countries)s.") % {
        "members": members,
        "others": others,
        "total": total,
        "countries": countries,
    }


def meeting_report_draft(*, meeting: Meeting, today: datetime.date | None = None) -> str:
    """A draft report from the meeting's records: place and dates, attendance figures
    (`selectors.attendance_summary`), then each session with its chair and speakers, then the
    decisions. A meeting that has not ended yet is told in the future tense, with the number
    registered so far. The Secretariat edits it before publishing."""
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
    future = meeting.end_date >= (today or timezone.localdate())
    summary = attendance_summary(meeting_id=meeting.pk)
    alliance = meeting.body.organization.short_name or meeting.body.organization.name
    place = ", ".join(part for part in (meeting.venue, meeting.city) if part)
    paragraphs = []

    opening = f"The {meeting.title} {'will be' if future else 'was'} held"
    if place:
        opening += f" in {place}"
    opening += f" on {date_range(meeting.start_date, meeting.end_date)}."
    figures = attendance_sentence(summary, alliance=alliance, future=future)
    if figures:
        opening += " " + figures
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
            chaired = "will be chaired" if future else "was chaired"
            sentences.append(
                f"The {name}{on} {chaired} by {_person(session.chair, session.chair_capacity)}."
            )
        elif not generic_title:
            sentences.append(
                f"The {name} {'will be' if future else 'was'} on {_topic(session.title)}."
            )
        lead = "" if sentences else f"At the {name}, "
        for item in session.items.all():
            sentence = _item_sentence(item, future=future)
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


def report_participants(*, meeting: Meeting) -> QuerySet[Participation]:
    """Everyone holding a seat (registered, confirmed, attended), for the printed list."""
    return (
        Participation.objects.filter(meeting=meeting)
        .holding_seats()
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "pk")
    )
