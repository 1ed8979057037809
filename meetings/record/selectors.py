"""Reads of the minutes: the approved minutes a meeting's page shows, and two revisions set
side by side for the compare page."""

import dataclasses
import difflib

from anso.text.languages import language_columns, language_picker

from ..models import AgendaItem, AgendaItemKind
from ..programme import Programme, url_builder
from .models import MattersArising, Minutes, MinutesPart, MinutesRevision, MinutesState


@dataclasses.dataclass(frozen=True)
class PartRow:
    """A part as the meeting's page shows it: its heading and Markdown text in the page's
    language, each with the language to mark where it is the English fallback."""

    heading: str
    heading_lang: str | None
    text: str
    text_lang: str | None
    item_id: int | None


def minutes_shown(*, meeting) -> tuple[Minutes | None, list[PartRow]]:
    """The minutes a meeting's page shows, approved ones only, with their parts in order.
    The minutes come with the meeting (`meetings.selectors.meeting_get` joins them and the
    approving decision); the parts are one query, asked only for approved minutes."""
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return None, []
    if minutes.state != MinutesState.APPROVED:
        return None, []
    shown = language_picker()
    rows = []
    for values in MinutesPart.objects.filter(minutes=minutes).order_by("order", "pk").values_list(
        "heading_en", "heading_zh_hans", "agenda_item__title_en", "agenda_item__title_zh_hans",
        "text_en", "text_zh_hans", "agenda_item_id",
    ):  # fmt: skip
        heading, heading_lang = shown(values[0:2])
        if not heading:
            heading, heading_lang = shown(values[2:4])
        text, text_lang = shown(values[4:6])
        if heading or text:
            rows.append(PartRow(heading, heading_lang, text, text_lang, values[6]))
    return minutes, rows


@dataclasses.dataclass(frozen=True)
class TakenUpMinutes:
    """Minutes a meeting's programme approves: their meeting's title (in the page's language,
    `title_lang` marking the English fallback), and a link to them where they are public, else
    to their meeting where it is published, else none."""

    title: str
    title_lang: str | None
    url: str
    approved: bool


@dataclasses.dataclass(frozen=True)
class TakenUpLine:
    """A line of the matters arising: an action (linked to its page on the action plan) or a
    decision (linked to its place on its meeting's page, where that is published, with the
    meeting's title)."""

    kind: str  # "action" or "decision"
    text: str
    text_lang: str | None
    url: str
    meeting_title: str
    meeting_lang: str | None
    decision_order: int | None


@dataclasses.dataclass(frozen=True)
class TakenUp:
    minutes: tuple[TakenUpMinutes, ...] = ()
    lines: tuple[TakenUpLine, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.minutes or self.lines)


def taken_up(*, meeting, programme: Programme) -> TakenUp:
    """What a meeting takes up from earlier meetings (meetings/record/arising.py): the minutes
    its programme approves and the lines of its matters arising, in the programme's order. Two
    queries of plain values, however many lines, asked only when the programme has such items
    (`programme` is the page's, already read)."""
    if not programme.has_kind(AgendaItemKind.MINUTES_APPROVAL, AgendaItemKind.MATTERS_ARISING):
        return TakenUp()
    shown = language_picker()
    titles = language_columns("title")
    n = len(titles)
    meeting_url = url_builder("meetings:meeting_detail", "year", "slug")
    action_url = url_builder("meetings:action_detail")
    minutes = []
    for *texts, slug, start, published, state in (
        AgendaItem.objects.filter(session__meeting=meeting, minutes_to_approve__isnull=False)
        .order_by("session__order", "order")
        .values_list(
            *(f"minutes_to_approve__meeting__{column}" for column in titles),
            "minutes_to_approve__meeting__slug", "minutes_to_approve__meeting__start_date",
            "minutes_to_approve__meeting__is_published", "minutes_to_approve__state",
        )
    ):  # fmt: skip
        title, title_lang = shown(texts)
        approved = published and state == MinutesState.APPROVED
        url = meeting_url(start.year, slug) if published else ""
        minutes.append(
            TakenUpMinutes(title, title_lang, url + "#minutes" if approved else url, approved)
        )
    lines = []
    texts_of = language_columns("text")
    for values in (
        MattersArising.objects.of_meeting(meeting.pk)
        .order_by("item__session__order", "item__order", "order", "pk")
        .values_list(
            "action_id", *(f"action__{column}" for column in titles), "action__slug",
            *(f"decision__{column}" for column in texts_of), "decision__order",
            *(f"decision__meeting__{column}" for column in titles), "decision__meeting__slug",
            "decision__meeting__start_date", "decision__meeting__is_published",
        )
    ):  # fmt: skip
        action_id, rest = values[0], values[1:]
        if action_id:
            text, text_lang = shown(rest[:n])
            lines.append(
                TakenUpLine("action", text, text_lang, action_url(rest[n]), "", None, None)
            )
            continue
        rest = rest[n + 1 :]
        text, text_lang = shown(rest[: len(texts_of)])
        order, rest = rest[len(texts_of)], rest[len(texts_of) + 1 :]
        meeting_title, meeting_lang = shown(rest[:n])
        slug, start, published = rest[n:]
        url = f"{meeting_url(start.year, slug)}#decision-{order}" if published else ""
        lines.append(
            TakenUpLine("decision", text, text_lang, url, meeting_title, meeting_lang, order)
        )
    return TakenUp(minutes=tuple(minutes), lines=tuple(lines))


@dataclasses.dataclass(frozen=True)
class DiffLine:
    """One line of a comparison: `kind` is "same", "removed", "added" or "changed"; a line
    only removed has no `new`, one only added no `old`."""

    kind: str
    old: str | None
    new: str | None


def text_compare(old: str, new: str) -> list[DiffLine]:
    """The lines of two texts side by side, as difflib matches them."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", line, line) for line in old_lines[i1:i2]]
        elif tag == "delete":
            lines += [DiffLine("removed", line, None) for line in old_lines[i1:i2]]
        elif tag == "insert":
            lines += [DiffLine("added", None, line) for line in new_lines[j1:j2]]
        else:  # replace: paired line by line, the longer side's rest alone
            olds, news = old_lines[i1:i2], new_lines[j1:j2]
            for index in range(max(len(olds), len(news))):
                before = olds[index] if index < len(olds) else None
                after = news[index] if index < len(news) else None
                kind = (
                    "changed"
                    if before is not None and after is not None
                    else ("removed" if after is None else "added")
                )
                lines.append(DiffLine(kind, before, after))
    return lines


@dataclasses.dataclass(frozen=True)
class Comparison:
    older: MinutesRevision
    newer: MinutesRevision
    english: list[DiffLine]
    chinese: list[DiffLine]

    @property
    def unchanged(self) -> bool:
        return all(line.kind == "same" for line in (*self.english, *self.chinese))


def revisions_compare(*, older: MinutesRevision, newer: MinutesRevision) -> Comparison:
    return Comparison(
        older=older,
        newer=newer,
        english=text_compare(older.text_en, newer.text_en),
        chinese=text_compare(older.text_zh_hans, newer.text_zh_hans),
    )
