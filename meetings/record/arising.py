"""What the next meeting of a body takes up from the earlier ones: the approval of the
previous meeting's minutes and the matters arising (the actions still open, the decisions still
to follow up, as they stand on the meeting's date). `matters_arising_add` puts both items in
the meeting's first session once; `meetings.services.meeting_create` calls it, and the admin
after a meeting and its sessions are added. The Secretariat edits them afterwards (the lines of
the matters arising are an inline of the agenda item, written by `matters_arising_save` and
`matters_arising_delete`, with the history), and may list what became open or due since
(`matters_arising_refresh`, the admin's action "Refresh matters arising"), which only adds."""

import dataclasses

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext

from ..models import Action, AgendaItem, AgendaItemKind, Decision, Meeting, Session, SessionKind
from .models import MattersArising, Minutes

#: The items' titles, written in each language from the catalogue.
APPROVAL_TITLE = "Approval of the minutes of the previous meeting"
ARISING_TITLE = "Matters arising"
FIRST_SESSION_TITLE = "Opening session"


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _both(message: str) -> dict[str, str]:
    """`message` in English and, from the catalogue, in Chinese."""
    with translation.override("zh-hans"):
        chinese = gettext(message)
    return {"en": message, "zh_hans": chinese}


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The latest earlier meeting of the same body (begun before this one)."""
    return (
        Meeting.objects.filter(body=meeting.body_id, start_date__lt=meeting.start_date)
        .order_by("-start_date", "-number")
        .first()
    )


@dataclasses.dataclass
class CarriedOver:
    """What `matters_arising_add` found or made (None where the meeting has no earlier one)."""

    approval: AgendaItem | None = None
    arising: AgendaItem | None = None
    created: int = 0


def _item(*, session: Session, kind: str, title: str, by) -> AgendaItem:
    order = (session.items.aggregate(n=Max("order"))["n"] or 0) + 1
    titles = _both(title)
    item = AgendaItem(
        session=session,
        order=order,
        kind=kind,
        title_en=titles["en"],
        title_zh_hans=titles["zh_hans"],
    )
    item._history_user = _user(by)
    item.save()
    return item


def matters_arising_add(*, meeting: Meeting, by: AbstractBaseUser | None = None) -> CarriedOver:
    """Give `meeting` the approval of the previous meeting's minutes (linked to them where they
    exist) and the matters arising: every action open on the meeting's first day
    (`Action.objects.open_on`) and every decision to follow up (`Decision.objects.to_follow_up`),
    in the first session (made if there is none). The first meeting of a body gets neither.

    Idempotent: an item already in the meeting is left as the Secretariat made it (its lines are
    not listed again), under the meeting's row lock; the conditional unique constraint
    `agenda_item_carried_over_once_per_session` is the backstop."""
    result = CarriedOver()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        previous = previous_meeting(meeting)
        if previous is None:
            return result
        existing = {
            item.kind: item
            for item in AgendaItem.objects.filter(
                session__meeting=meeting,
                kind__in=[AgendaItemKind.MINUTES_APPROVAL, AgendaItemKind.MATTERS_ARISING],
            ).order_by("pk")
        }
        session = Session.objects.filter(meeting=meeting).order_by("order").first()
        if session is None:
            titles = _both(FIRST_SESSION_TITLE)
            session = Session(
                meeting=meeting,
                order=1,
                kind=SessionKind.OPENING,
                title_en=titles["en"],
                title_zh_hans=titles["zh_hans"],
            )
            session._history_user = _user(by)
            session.save()
        result.approval = existing.get(AgendaItemKind.MINUTES_APPROVAL)
        if result.approval is None:
            result.approval = _item(
                session=session, kind=AgendaItemKind.MINUTES_APPROVAL, title=APPROVAL_TITLE, by=by
            )
            result.created += 1
            minutes = Minutes.objects.filter(meeting=previous, approval_items=None).first()
            if minutes is not None:
                result.approval.minutes_to_approve = minutes
                result.approval.save(update_fields=["minutes_to_approve"])
        result.arising = existing.get(AgendaItemKind.MATTERS_ARISING)
        if result.arising is None:
            result.arising = _item(
                session=session, kind=AgendaItemKind.MATTERS_ARISING, title=ARISING_TITLE, by=by
            )
            result.created += 1
            _lines_add(item=result.arising, lines=_lines_due(meeting), after=0, by=by)
    return result


def _lines_due(meeting: Meeting) -> list[dict]:
    """The lines of the meeting's matters arising, in order: every action open on its first
    day (`Action.objects.open_on`), then every decision to follow up
    (`Decision.objects.to_follow_up`)."""
    actions = Action.objects.open_on(on=meeting.start_date).order_by("order", "title_en")
    decisions = Decision.objects.to_follow_up(
        body=meeting.body, before=meeting.start_date
    ).order_by("meeting__start_date", "order")
    lines = [{"action": action} for action in actions]
    lines += [{"decision": decision} for decision in decisions]
    return lines


def _lines_add(*, item: AgendaItem, lines: list[dict], after: int, by) -> int:
    """Add `lines` to `item`, numbered on from `after`, each with its history."""
    for order, line in enumerate(lines, start=after + 1):
        row = MattersArising(item=item, order=order, **line)
        row._history_user = _user(by)
        row.save()
    return len(lines)


@dataclasses.dataclass
class Refreshed:
    """What `matters_arising_refresh` did: how many lines it added, or that the meeting has no
    item "Matters arising" to add them to."""

    added: int = 0
    has_item: bool = True


def matters_arising_refresh(*, meeting: Meeting, by: AbstractBaseUser | None = None) -> Refreshed:
    """Add to the meeting's item "Matters arising" the lines of the actions open and the
    decisions to follow up (the rule of `matters_arising_add`, on the meeting's date) that it
    does not list and never listed: what became open or due since the item was made. Only
    adds, after the lines there are: a line the Secretariat edited or moved stays as it is,
    and what they removed, or replaced on a line by another action or decision (the lines'
    history says so), is not added again. Idempotent, under the meeting's row lock. A meeting
    without the item (a body's first meeting, or the item removed) gets nothing (`has_item`
    False)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        item = (
            AgendaItem.objects.filter(session__meeting=meeting, kind=AgendaItemKind.MATTERS_ARISING)
            .order_by("pk")
            .first()
        )
        if item is None:
            return Refreshed(has_item=False)
        # What the item lists, or listed once (the history of its lines: a line removed, or
        # changed to name another action or decision).
        listed = MattersArising.objects.filter(item=item)
        ever = MattersArising.history.filter(item_id=item.pk)
        seen = {
            *listed.values_list("action_id", "decision_id"),
            *ever.values_list("action_id", "decision_id"),
        }
        seen_actions = {action for action, _decision in seen if action is not None}
        seen_decisions = {decision for _action, decision in seen if decision is not None}
        lines = [
            line
            for line in _lines_due(meeting)
            if ("action" in line and line["action"].pk not in seen_actions)
            or ("decision" in line and line["decision"].pk not in seen_decisions)
        ]
        last = listed.aggregate(n=Max("order"))["n"] or 0
        return Refreshed(added=_lines_add(item=item, lines=lines, after=last, by=by))


def matters_arising_save(
    *, line: MattersArising, by: AbstractBaseUser | None = None
) -> MattersArising:
    """Add or change a line of the matters arising (an action or a decision, not both)."""
    line.clean()
    with transaction.atomic():
        line._history_user = _user(by)
        line.save()
    return line


def matters_arising_delete(*, line: MattersArising, by: AbstractBaseUser | None = None) -> None:
    """Remove a line; its history keeps the removal and who made it."""
    with transaction.atomic():
        line._history_user = _user(by)
        line.delete()
