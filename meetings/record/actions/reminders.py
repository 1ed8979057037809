"""Reminders of the action plan: before an action's due date its owner gets one mail
(`ACTION_REMINDER_DAYS` before, by the upkeep's chore registered in meetings/chores.py).

Who an owner's mail reaches:

- a person: their address;
- an organization: its contact persons today (positions of contact person it appointed);
- a body: the holders today of its leading offices (chair, executive director and assistant
  executive director: for the Secretariat, its directors); a body with none is skipped, and
  the log says so.

Each recipient reads it in their language (`mail_language`: their own setting, else their
latest registration's, else English), with links to the action's page in that language.

Sent once per due date: `Action.reminded_for` records the due date reminded of, set by one
conditional UPDATE before the mails are queued, in the chore's transaction, so of two upkeeps
running at once only one queues them (the rows are also read `skip_locked`). A new due date,
or a new owner (`action_save`), is reminded again. The bookkeeping writes no history row.

The overdue mark changes with the day, not with a write: `action_plan_overdue_renew`, another
chore, renews the pages that show actions on the first upkeep of a day on which an action
became overdue."""

import datetime
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from anso.caching.tags import bump
from anso.links import absolute_url
from anso.mail.sending import Mail, mails_queue
from anso.text.hygiene import one_line
from members.models import Person, Position, Role

from ...cache_tags import ACTIONS
from ...invitations.selectors import mail_language
from ...models import Action

logger = logging.getLogger(__name__)

#: The offices of a body whose holders are reminded of its actions.
BODY_CONTACT_ROLES = (
    Role.CHAIR,
    Role.EXECUTIVE_DIRECTOR,
    Role.ASSISTANT_EXECUTIVE_DIRECTOR,
)


def action_reminder_recipients(*, action: Action, on: datetime.date) -> list[Person]:
    """The people an action's reminder goes to on `on` (see the module's docstring), each
    with `mail_lang`; people without an address are left out. One query."""
    people = Person.objects.exclude(email="")
    if action.owner_person_id:
        people = people.filter(pk=action.owner_person_id)
    elif action.owner_organization_id:
        positions = Position.objects.held_on(on).filter(
            role=Role.CONTACT_PERSON, appointed_by=action.owner_organization_id
        )
        people = people.filter(pk__in=positions.values("person"))
    elif action.owner_body_id:
        positions = Position.objects.held_on(on).filter(
            role__in=BODY_CONTACT_ROLES, body=action.owner_body_id
        )
        people = people.filter(pk__in=positions.values("person"))
    else:
        return []
    return list(people.annotate(mail_lang=mail_language()).order_by("family_name", "pk"))


def _not_reminded_for_its_due_date() -> Q:
    return (
        Q(reminded_for__isnull=True)
        | Q(reminded_for__lt=F("due_date"))
        | Q(reminded_for__gt=F("due_date"))
    )


def action_reminder_mail(*, action: Action, person: Person) -> Mail:
    """The reminder of `action` to `person`, in the person's language (`mail_lang`)."""
    with translation.override(getattr(person, "mail_lang", "") or settings.LANGUAGE_CODE):
        context = {
            "action": action,
            "person": person,
            "owner": action.owner,
            "action_url": absolute_url(action.get_absolute_url()),
            "SITE_NAME": gettext(settings.SITE_NAME),
        }
        subject = one_line(render_to_string("meetings/email/action_reminder_subject.txt", context))
        body = render_to_string("meetings/email/action_reminder.txt", context)
    return Mail(to=[person.email], subject=subject, body=body)


@transaction.atomic
def action_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The upkeep's chore: remind the owners of the open actions due within
    `ACTION_REMINDER_DAYS` and not yet reminded of that due date. Returns how many mails were
    queued. In a transaction of its own (its row locks need one on PostgreSQL, called outside
    the upkeep too)."""
    today = timezone.localdate(now)
    ids = list(
        Action.objects.due_within(on=today, days=settings.ACTION_REMINDER_DAYS)
        .filter(_not_reminded_for_its_due_date())
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    mails = []
    for action in Action.objects.filter(pk__in=ids).select_related(
        "owner_organization", "owner_body", "owner_person"
    ):
        # Claimed by one conditional UPDATE: another upkeep that read the same row gets 0.
        claimed = (
            Action.objects.filter(pk=action.pk, due_date=action.due_date)
            .filter(_not_reminded_for_its_due_date())
            .update(reminded_for=F("due_date"))
        )
        if not claimed:
            continue
        recipients = action_reminder_recipients(action=action, on=today)
        if not recipients:
            logger.info(
                "Action %s is due on %s: its owner (%s) has nobody with an address to remind",
                action.pk,
                action.due_date,
                action.owner or "none",
            )
            continue
        mails += [action_reminder_mail(action=action, person=person) for person in recipients]
    if mails:
        mails_queue(mails)
        logger.info("Action reminders queued: %d", len(mails))
    return len(mails)


#: The day the pages showing actions were last renewed for the overdue mark, in the cache the
#: page cache's versions live in (shared by every worker).
_OVERDUE_RENEWED_KEY = "meetings:actions:overdue-renewed-on"


def action_plan_overdue_renew(*, now: datetime.datetime | None = None) -> bool:
    """The upkeep's chore: renew the pages that show actions (`ACTIONS`: the action plan, the
    meeting pages) once a day, when an action became overdue since the last renewal (its due
    date passed meanwhile). Without a record of the last renewal (a cache emptied), renew if
    any action is overdue. Two upkeeps at once renew twice, harmlessly. Returns whether it
    renewed."""
    today = timezone.localdate(now)
    cache = caches["versions"]
    last = cache.get(_OVERDUE_RENEWED_KEY)
    if last == today.isoformat():
        return False
    became = Action.objects.overdue(on=today)
    if last:
        became = became.filter(due_date__gte=datetime.date.fromisoformat(last))
    renew = became.exists()
    if renew:
        bump(ACTIONS)
    cache.set(_OVERDUE_RENEWED_KEY, today.isoformat(), timeout=None)
    return renew
