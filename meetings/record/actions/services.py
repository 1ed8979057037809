"""The writes of the action plan's follow-up: an action's owner, due date and the rest of its
fields, and its progress notes. The admin calls these (meetings/admin.py), as the demo loader
does; each write is checked by the model's rule, saved in a transaction and leaves a history
row naming who made it. The page cache follows by the models' rules (meetings/cache_tags.py)."""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from ...models import Action, Meeting
from .models import ActionProgress


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def action_save(*, action: Action, by: AbstractBaseUser | None = None) -> Action:
    """Create or change an action. At most one owner (`Action.clean`, the check constraint
    behind it). A new owner is reminded of the due date even if the previous one was: the
    record of the reminder sent is cleared."""
    action.clean()
    with transaction.atomic():
        if action.pk is not None:
            before = (
                Action.objects.filter(pk=action.pk)
                .values("owner_organization", "owner_body", "owner_person")
                .first()
            )
            now = {
                "owner_organization": action.owner_organization_id,
                "owner_body": action.owner_body_id,
                "owner_person": action.owner_person_id,
            }
            if before is not None and before != now:
                action.reminded_for = None
        action._history_user = _user(by)
        action.save()
    return action


def action_progress_add(
    *,
    action: Action,
    date: datetime.date,
    text_en: str,
    text_zh_hans: str = "",
    meeting: Meeting | None = None,
    by: AbstractBaseUser | None = None,
) -> ActionProgress:
    """Add a progress note to an action: reported at `meeting`, or between meetings."""
    note = ActionProgress(
        action=action, date=date, text_en=text_en, text_zh_hans=text_zh_hans, meeting=meeting
    )
    return action_progress_save(note=note, by=by)


def action_progress_save(
    *, note: ActionProgress, by: AbstractBaseUser | None = None
) -> ActionProgress:
    """Save a new or changed progress note (a note at a meeting is dated on one of its days)."""
    note.clean()
    with transaction.atomic():
        note._history_user = _user(by)
        note.save()
    return note


def action_progress_delete(*, note: ActionProgress, by: AbstractBaseUser | None = None) -> None:
    """Delete a progress note; its history keeps the deletion and who made it."""
    with transaction.atomic():
        note._history_user = _user(by)
        note.delete()
