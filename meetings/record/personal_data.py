"""The record's part of each person's rights over their data (docs/personal-data.md): the
comments a member wrote on circulated minutes, in their export and in their erasure.
`MeetingsConfig.ready()` registers them (`register`), as the attendance's part."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anso.text.languages import MarkedText, marked_text, typed_text
from members.models import Person
from members.personal_data.hooks import (
    Field,
    Section,
    as_date,
    erasure_step_register,
    export_section_register,
)
from members.personal_data.services import log_entries_scrub

from .comment_models import MinutesComment

#: What an erased person's comment reads (a comment keeps some text: a database constraint).
ERASED_TEXT = "—"


def _part_title(part) -> MarkedText:
    """The part's heading, else its agenda item's title, in the page's language."""
    heading = marked_text(part, "heading")
    if heading or not part.agenda_item_id:
        return heading
    return marked_text(part.agenda_item, "title")


def minutes_comments_export(person: Person) -> list[dict]:
    rows = MinutesComment.objects.filter(person=person).select_related(
        "part__minutes__meeting", "part__agenda_item"
    )
    return [
        {
            "meeting": marked_text(comment.part.minutes.meeting, "title"),
            "part": _part_title(comment.part),
            "text": typed_text(comment.text),
            "sent_at": comment.created_at.isoformat(),
            "decision": gettext(comment.get_decision_display()),
        }
        for comment in rows.order_by("created_at", "pk")
    ]


def minutes_comments_erase(person: Person) -> int:
    """The person's comments keep their row (the Secretariat's decision on each) without
    their text, in the table, its history and the admin's log."""
    rows = MinutesComment.objects.filter(person=person)
    ids = list(rows.values_list("pk", flat=True))
    rows.update(text=ERASED_TEXT)
    MinutesComment.history.filter(id__in=ids).update(text=ERASED_TEXT)
    log_entries_scrub(model=MinutesComment, ids=ids)
    return len(ids)


MINUTES_COMMENTS = Section(
    key="minutes_comments",
    title=_("Comments on minutes"),
    empty=_("You have written no comment on circulated minutes."),
    fields=(
        Field("meeting", _("Meeting")),
        Field("part", _("Part of the minutes")),
        Field("text", _("Your comment")),
        Field("sent_at", _("Sent"), as_date),
        Field("decision", _("The Secretariat's decision")),
    ),
    read=minutes_comments_export,
)


def register() -> None:
    export_section_register(MINUTES_COMMENTS)
    erasure_step_register("minutes_comments", minutes_comments_erase)
