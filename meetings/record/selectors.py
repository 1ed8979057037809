"""Reads of the minutes: the approved minutes a meeting's page shows, and two revisions set
side by side for the compare page."""

import dataclasses
import difflib

from anso.text.languages import language_picker

from .models import Minutes, MinutesPart, MinutesRevision, MinutesState


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
