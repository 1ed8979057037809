"""The draft news report of a meeting, written from its records in the style of the
Secretariat's reports ("The 1st ANSO Working Group Meeting was held in ... on 13-14 May 2019.
17 ANSO member organizations and 28 other participants attended: 45 participants from 14
countries and regions. The opening session was chaired by Prof. Ailikun, ...")."""

import datetime
import re

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from anso.text.dates import date_range

from ..models import AgendaItem, AgendaItemKind, Meeting, SessionKind, Speaker
from .models import Participation
from .selectors import AttendanceSummary, attendance_summary


def _ordinal_session(index: int) -> str:
    names = [
        _("first session"),
        _("second session"),
        _("third session"),
        _("fourth session"),
        _("fifth session"),
        _("sixth session"),
        _("seventh session"),
        _("eighth session"),
    ]
    if index < len(names):
        return names[index]
    return _("%(number)sth session") % {"number": index + 1}


def _item_phrase(kind: str, *, who: str, topic: str, future: bool) -> str:
    """What a speaker did at an item, as a sentence, in the right tense."""
    values = {"who": who, "topic": topic}
    if kind == AgendaItemKind.WELCOME:
        if future:
            return _("%(who)s will give a warm welcome to all the participants.") % values
        return _("%(who)s gave a warm welcome to all the participants.") % values
    phrases = {
        AgendaItemKind.OPENING_ADDRESS: (
            (_("%(who)s gave an opening address."), _("%(who)s will give an opening address.")),
            (
                _("%(who)s gave an opening address on %(topic)s."),
                _("%(who)s will give an opening address on %(topic)s."),
            ),
        ),
        AgendaItemKind.PRESENTATION: (
            (_("%(who)s gave a presentation."), _("%(who)s will give a presentation.")),
            (
                _("%(who)s gave a presentation on %(topic)s."),
                _("%(who)s will give a presentation on %(topic)s."),
            ),
        ),
        AgendaItemKind.REPORT: (
            (_("%(who)s presented a report."), _("%(who)s will present a report.")),
            (
                _("%(who)s presented a report on %(topic)s."),
                _("%(who)s will present a report on %(topic)s."),
            ),
        ),
        AgendaItemKind.DISCUSSION: (
            (_("%(who)s led a discussion."), _("%(who)s will lead a discussion.")),
            (
                _("%(who)s led a discussion on %(topic)s."),
                _("%(who)s will lead a discussion on %(topic)s."),
            ),
        ),
        AgendaItemKind.OTHER: (
            (_("%(who)s spoke."), _("%(who)s will speak.")),
            (_("%(who)s spoke on %(topic)s."), _("%(who)s will speak on %(topic)s.")),
        ),
    }
    by_topic = phrases.get(kind, phrases[AgendaItemKind.OTHER])
    return by_topic[bool(topic)][future] % values


def _person(person, capacity: str, *, inside: bool = False) -> str:
    """ "Prof. Qasim Jan, ANSO Vice-President" (with a closing comma when the name is the
    subject of a sentence that goes on)."""
    if not capacity:
        return str(person.display_name)
    values = {"name": person.display_name, "capacity": capacity}
    if inside:
        return pgettext("a speaker inside a sentence", "%(name)s, %(capacity)s,") % values
    return _("%(name)s, %(capacity)s") % values


def _people(names: list[str]) -> str:
    joined = names[0]
    for name in names[1:]:
        joined = _("%(people)s and %(person)s") % {"people": joined, "person": name}
    return joined


def _topic(title: str) -> str:
    """A title used inside a sentence: first letter lowered unless it is an acronym."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def _sentence(text: str) -> str:
    text = text.strip()
    if not text or text.endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f")):
        return text
    return text + pgettext("the end of a sentence", ".")


def _paragraph(sentences: list[str]) -> str:
    """Sentences joined by a space, except after a full-width stop (Chinese)."""
    return re.sub(r"(?<=[\u3002\uff01\uff1f\uff1a]) ", "", " ".join(sentences))


def _english_label(kind: str) -> str:
    """An agenda item's kind as the Secretariat types it in an English title ("Discussion:
    ANSO scholarships"), whatever the page's language."""
    with translation.override("en"):
        return str(AgendaItemKind(kind).label).lower()


def _item_sentence(item: AgendaItem, *, future: bool = False) -> str:
    speakers = list(item.speaker_set.all())
    label = _english_label(item.kind) if item.kind else ""
    about = item.title.strip()
    if label and about.lower().startswith(f"{label}:"):
        about = about[len(label) + 1 :].strip()  # "Discussion: ANSO scholarships"
    if about.lower() in {label, "welcome", "discussion"}:
        about = ""
    if not speakers:
        if item.kind == AgendaItemKind.DISCUSSION:
            if about:
                if future:
                    return _("A discussion on %(topic)s will follow.") % {"topic": _topic(about)}
                return _("A discussion on %(topic)s followed.") % {"topic": _topic(about)}
            return _("A discussion will follow.") if future else _("A discussion followed.")
        return _sentence(about) if about else ""
    who = _people([_person(s.person, s.capacity, inside=True) for s in speakers])
    topic = _topic(about) if about and item.kind != AgendaItemKind.WELCOME else ""
    return _item_phrase(item.kind, who=who, topic=topic, future=future)


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

    values = {
        "meeting": meeting.title,
        "place": place,
        "dates": date_range(meeting.start_date, meeting.end_date),
    }
    if place:
        if future:
            opening = _("The %(meeting)s will be held in %(place)s on %(dates)s.") % values
        else:
            opening = _("The %(meeting)s was held in %(place)s on %(dates)s.") % values
    elif future:
        opening = _("The %(meeting)s will be held on %(dates)s.") % values
    else:
        opening = _("The %(meeting)s was held on %(dates)s.") % values
    figures = attendance_sentence(summary, alliance=alliance, future=future)
    paragraphs.append(_paragraph([opening, figures] if figures else [opening]))

    for index, session in enumerate(meeting.sessions.all()):
        if session.kind == SessionKind.OPENING:
            name = _("opening session")
        elif session.kind == SessionKind.CLOSING:
            name = _("closing session")
        else:
            name = _ordinal_session(index)
        generic_title = session.title.strip().lower() in {name, f"the {name}", ""} or (
            session.title.strip().lower() in _english_session_names(session.kind, index)
        )
        sentences = []
        values = {"session": name, "title": _topic(session.title)}
        if session.chair_id:
            values["chair"] = _person(session.chair, session.chair_capacity)
            sentences.append(_chaired(values, on_title=not generic_title, future=future))
        elif not generic_title:
            if future:
                sentences.append(_("The %(session)s will be on %(title)s.") % values)
            else:
                sentences.append(_("The %(session)s was on %(title)s.") % values)
        lead = not sentences
        for item in session.items.all():
            sentence = _item_sentence(item, future=future)
            if not sentence:
                continue
            if lead:
                sentence = _("At the %(session)s, %(sentence)s") % {
                    "session": name,
                    "sentence": sentence,
                }
                lead = False
            sentences.append(sentence)
            if item.description:
                sentences.append(_sentence(item.description))
        if sentences:
            paragraphs.append(_paragraph(sentences))

    decisions = list(meeting.decisions.all())
    if decisions:
        paragraphs.append(
            _("The meeting decided: %(decisions)s")
            % {"decisions": _paragraph([_sentence(d.text) for d in decisions])}
        )
    return "\n\n".join(paragraphs)


def _english_session_names(kind: str, index: int) -> set[str]:
    """A session's generic name in English ("third session", "the opening session"): a title
    typed like this is not a topic, whatever the report's language."""
    with translation.override("en"):
        if kind == SessionKind.OPENING:
            name = "opening session"
        elif kind == SessionKind.CLOSING:
            name = "closing session"
        else:
            name = _ordinal_session(index)
    return {name, f"the {name}"}


def _chaired(values: dict[str, str], *, on_title: bool, future: bool) -> str:
    if on_title:
        if future:
            return _("The %(session)s, on %(title)s, will be chaired by %(chair)s.") % values
        return _("The %(session)s, on %(title)s, was chaired by %(chair)s.") % values
    if future:
        return _("The %(session)s will be chaired by %(chair)s.") % values
    return _("The %(session)s was chaired by %(chair)s.") % values


def report_participants(*, meeting: Meeting) -> QuerySet[Participation]:
    """Everyone holding a seat (registered, confirmed, attended), for the printed list."""
    return (
        Participation.objects.filter(meeting=meeting)
        .holding_seats()
        .select_related("person", "organization")
        .order_by("person__family_name", "person__given_name", "pk")
    )
