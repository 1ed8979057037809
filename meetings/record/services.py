"""The minutes' writes: their parts made from the programme, a revision kept after each save of
their text, and the changes of state (circulate, approve). Each runs in a transaction on the
minutes' locked row and writes the minutes' history with who did it (docs/record.md)."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Decision
from .comments import minutes_comment_links_mail
from .models import Minutes, MinutesPart, MinutesRevision, MinutesState


class MinutesRefused(Exception):
    """A change the minutes refuse; `message` is for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _locked(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


def minutes_parts_fill(*, minutes: Minutes) -> int:
    """A part for each agenda item of the meeting that has none yet, in the programme's order,
    after the parts there are; returns how many were made."""
    with transaction.atomic():
        minutes = _locked(minutes)
        taken = set(minutes.parts.exclude(agenda_item=None).values_list("agenda_item", flat=True))
        last = minutes.parts.aggregate(last=Max("order"))["last"] or 0
        items = (
            AgendaItem.objects.filter(session__meeting=minutes.meeting_id)
            .exclude(pk__in=taken)
            .order_by("session__order", "order", "pk")
        )
        parts = [
            MinutesPart(minutes=minutes, order=last + place, agenda_item=item)
            for place, item in enumerate(items, start=1)
        ]
        for part in parts:  # one by one: each writes its history row
            part.save()
        return len(parts)


def minutes_text(*, minutes: Minutes) -> tuple[str, str]:
    """The whole text of the minutes, English and Chinese, as Markdown: each part under its
    heading (the agenda item's title for an item's part). One query. A heading without a
    Chinese text is given in English; a part's missing Chinese text stays missing."""
    texts = {"en": [], "zh_hans": []}
    for row in minutes.parts.order_by("order", "pk").values(
        "heading_en", "heading_zh_hans", "text_en", "text_zh_hans",
        "agenda_item__title_en", "agenda_item__title_zh_hans",
    ):  # fmt: skip
        for language, out in texts.items():
            heading = (
                row[f"heading_{language}"]
                or row[f"agenda_item__title_{language}"]
                or row["heading_en"]
                or row["agenda_item__title_en"]
                or ""
            )
            out.append(f"## {heading}\n\n{(row[f'text_{language}'] or '').strip()}\n")
    return "\n".join(texts["en"]), "\n".join(texts["zh_hans"])


def minutes_revision_record(
    *, minutes: Minutes, by: AbstractBaseUser | None
) -> MinutesRevision | None:
    """Keep the minutes' text as it stands now as their next revision; None when it is the
    same as the last revision's (a save that changed nothing of the text)."""
    with transaction.atomic():
        minutes = _locked(minutes)
        text_en, text_zh_hans = minutes_text(minutes=minutes)
        latest = minutes.revisions.order_by("-number").first()
        if latest is not None and (latest.text_en, latest.text_zh_hans) == (text_en, text_zh_hans):
            return None
        return MinutesRevision.objects.create(
            minutes=minutes,
            number=latest.number + 1 if latest else 1,
            created_at=timezone.now(),
            created_by=_user(by),
            state=minutes.state,
            text_en=text_en,
            text_zh_hans=text_zh_hans,
        )


def minutes_create(*, meeting, by: AbstractBaseUser | None) -> Minutes:
    """The meeting's minutes, in draft, with a part for each agenda item, and their first
    revision."""
    with transaction.atomic():
        minutes = Minutes(meeting=meeting)
        minutes._history_user = _user(by)
        minutes.save()
        minutes_parts_fill(minutes=minutes)
        minutes_revision_record(minutes=minutes, by=by)
        return minutes


def minutes_circulate(
    *,
    minutes: Minutes,
    by: AbstractBaseUser | None,
    comments_until: datetime.date | None = None,
    mail_members: bool = True,
) -> Minutes:
    """Send the draft to the members: circulated from now, comments until `comments_until`
    (kept as it is when None), and each member of the working group mailed their personal link
    to comment once the transaction commits (`comments.minutes_comment_links_mail`; not with
    `mail_members=False`, as the demo's loader). Refused unless the minutes are a draft with
    some text."""
    with transaction.atomic():
        locked = _locked(minutes)
        if locked.state != MinutesState.DRAFT:
            raise MinutesRefused(
                _("Only draft minutes can be circulated; these are {state}.").format(
                    state=locked.get_state_display()
                )
            )
        if not locked.parts.exclude(text_en="").exclude(text_en=None).exists():
            raise MinutesRefused(_("Minutes without any English text cannot be circulated."))
        if mail_members and not locked.meeting.is_published:
            raise MinutesRefused(
                _("Publish the meeting first: the members' links to comment open its pages.")
            )
        comments_until = comments_until or locked.comments_until
        if comments_until and comments_until < timezone.localdate():
            raise MinutesRefused(_("The day for comments has passed: choose a later one."))
        locked.state = MinutesState.CIRCULATED
        locked.circulated_at = timezone.now()
        locked.comments_until = comments_until
        locked._history_user = _user(by)
        locked._change_reason = "circulated"
        locked.save()
        if mail_members:
            minutes_comment_links_mail(minutes=locked)
        return locked


def approving_decisions(*, minutes: Minutes):
    """The decisions that may approve the minutes: those of later meetings of the same body
    that have begun (`minutes_approve` holds the same rule)."""
    meeting = minutes.meeting
    return (
        Decision.objects.filter(
            meeting__body=meeting.body_id,
            meeting__number__gt=meeting.number,
            meeting__start_date__gte=meeting.end_date,
            meeting__start_date__lte=timezone.localdate(),
        )
        .select_related("meeting")
        .order_by("-meeting__start_date", "order")
    )


def minutes_approve(
    *, minutes: Minutes, decision: Decision, by: AbstractBaseUser | None
) -> Minutes:
    """Mark circulated minutes approved by `decision`, which must be one of a later meeting
    of the same body that has taken place."""
    with transaction.atomic():
        locked = _locked(minutes)
        if locked.state != MinutesState.CIRCULATED:
            raise MinutesRefused(
                _("Only circulated minutes can be approved; these are {state}.").format(
                    state=locked.get_state_display()
                )
            )
        own, theirs = (
            locked.meeting,
            Decision.objects.select_related("meeting").get(pk=decision.pk).meeting,
        )
        if theirs.body_id != own.body_id:
            raise MinutesRefused(_("Minutes are approved by a meeting of the same body as theirs."))
        if theirs.number <= own.number or theirs.start_date < own.end_date:
            raise MinutesRefused(
                _("Minutes are approved by a decision of a later meeting than their own.")
            )
        if theirs.start_date > timezone.localdate():
            raise MinutesRefused(_("The {meeting} has not taken place yet.").format(meeting=theirs))
        locked.state = MinutesState.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by_decision = decision
        locked._history_user = _user(by)
        locked._change_reason = "approved"
        locked.save()
        return locked
