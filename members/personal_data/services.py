"""The erasure of a person on request, and the retention of contact details and of unconfirmed
nominations (docs/personal-data.md).

`person_erase` is the one write path of an erasure: the person's row stays, without name,
contact details or free text (it shows as "a participant"), so that everything that counts
it (a meeting's figures) is unchanged; its history rows are scrubbed the same way; the mails
to the person lose their address and text; the other apps scrub their own rows through the
steps they registered (`hooks.erasure_step_register`); an `Erasure` records when, why and by
whom."""

import datetime
import logging

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anso.models import OutgoingMail

from ..models import Person
from ..nominations.models import Nomination, NominationStatus
from .hooks import erasure_steps_run
from .models import Erasure

logger = logging.getLogger(__name__)

#: What an erased person's row and its history rows hold in place of their name and contact.
PERSON_SCRUBBED = {
    "honorific": "",
    "given_name": "",
    "family_name": "",
    "name_original": "",
    "email": "",
    "phone": "",
    "email_doubtful_since": None,
    "email_doubtful_reason": "",
}
NOMINEE_SCRUBBED = {
    "honorific": "",
    "given_name": "",
    "family_name": "",
    "name_original": "",
    "email": "",
    "phone": "",
    "job_title": "",
}


class ErasureRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _erased_slug(person: Person) -> str:
    return f"erased-{person.pk}"


def _mails_scrub(addresses: set[str], names: set[str]) -> int:
    """Take the addresses out of the outbox's mails to them, with their text; a subject that
    names the person goes too. Date, status and the other recipients stay."""
    scrubbed = 0
    for address in addresses:
        candidates = OutgoingMail.objects.select_for_update().filter(to__icontains=address)
        for mail in candidates:
            recipients = [a for a in mail.to if a.strip().lower() != address]
            if len(recipients) == len(mail.to):
                continue  # the address was part of another one
            mail.to = recipients
            mail.pending_to = [a for a in mail.pending_to if a.strip().lower() != address]
            mail.refused = [a for a in mail.refused if address not in str(a).lower()]
            mail.body = mail.html = mail.refused_reply = mail.last_error = ""
            mail.attachments = []
            if any(name and name.lower() in mail.subject.lower() for name in names):
                mail.subject = ""
            mail.save()
            scrubbed += 1
    return scrubbed


def log_entries_scrub(*, model, ids: list[int]) -> int:
    """The admin's log names each object it logged (`object_repr`): the entries of these
    rows keep what was done, when and by whom, without the name."""
    if not ids:
        return 0
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        )
        .exclude(object_repr="")
        .update(object_repr="")
    )


def person_erase(*, person: Person, by: AbstractBaseUser | None, reason: str) -> Erasure:
    """Erase `person` on request, for the `reason` the Secretariat gives. Refused for a person
    erased already, and for a staff account's person (staff are removed as staff first)."""
    reason = reason.strip()
    if not reason:
        raise ErasureRefused(_("A reason is required."))
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        if person.erased_at is not None:
            raise ErasureRefused(_("This person was erased already."))
        user = person.user
        if user is not None and (user.is_staff or user.is_superuser):
            raise ErasureRefused(_("This person has a staff account."))
        names = {person.full_name, person.name_original, person.family_name} - {""}
        addresses = {person.email.strip().lower()} - {""}
        nominations = Nomination.objects.select_for_update().filter(
            Q(person=person) | (Q(email__iexact=person.email) & ~Q(email=""))
        )
        nomination_ids = list(nominations.values_list("pk", flat=True))
        addresses |= {e.strip().lower() for e in nominations.values_list("email", flat=True)} - {""}
        counts: dict[str, int] = {}
        counts["nominations"] = Nomination.objects.filter(pk__in=nomination_ids).update(
            **NOMINEE_SCRUBBED
        )
        counts["nomination_history"] = Nomination.history.filter(id__in=nomination_ids).update(
            **NOMINEE_SCRUBBED, history_change_reason=None
        )
        counts["nomination_log"] = log_entries_scrub(model=Nomination, ids=nomination_ids)
        counts["person_log"] = log_entries_scrub(model=Person, ids=[person.pk])
        counts.update(erasure_steps_run(person))
        counts["mails"] = _mails_scrub(addresses, names)
        now = timezone.now()
        for field, value in PERSON_SCRUBBED.items():
            setattr(person, field, value)
        person.slug = _erased_slug(person)
        person.announcements_opted_out_at = person.announcements_opted_out_at and now
        person.erased_at = now
        person.user = None
        person._history_user = by
        person.save()
        counts["person_history"] = Person.history.filter(id=person.pk).update(
            **PERSON_SCRUBBED, slug=_erased_slug(person), history_change_reason=None
        )
        if user is not None:
            user.delete()  # a member's account: username "member-<pk>", nothing else
        erasure = Erasure.objects.create(
            erased_by=by if by is not None and by.pk else None,
            reason=reason,
            person=person,
            counts=counts,
        )
    logger.info("Person erased: erasure %s", erasure.pk)
    return erasure


# --- retention ---------------------------------------------------------------------------------


@transaction.atomic
def nominations_unconfirmed_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete the nominations never confirmed (waiting for confirmation, or whose link
    expired) submitted more than `NOMINATION_UNCONFIRMED_DAYS` days ago, with their events and
    history rows: nobody asked for them but the form. Returns how many. In a transaction of
    its own (its row locks need one on PostgreSQL, called outside the upkeep too)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.NOMINATION_UNCONFIRMED_DAYS)
    stale = Nomination.objects.filter(
        status__in=(NominationStatus.UNCONFIRMED, NominationStatus.EXPIRED),
        confirmed_at__isnull=True,
        created_at__lt=cutoff,
    )
    ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
    if not ids:
        return 0
    Nomination.objects.filter(pk__in=ids).delete()
    Nomination.history.filter(id__in=ids).delete()  # with the deletion's own history row
    return len(ids)


def person_contact_details_clear(*, person_ids: list[int]) -> int:
    """Clear the email and phone of these people, in their rows and their history rows (the
    retention of contact details; the caller chose the people). Returns how many rows changed."""
    if not person_ids:
        return 0
    cleared = {"email": "", "phone": "", "email_doubtful_since": None, "email_doubtful_reason": ""}
    changed = (
        Person.objects.filter(pk__in=person_ids, erased_at__isnull=True)
        .filter(~Q(email="") | ~Q(phone=""))
        .update(**cleared)
    )
    Person.history.filter(id__in=person_ids).update(**cleared)
    return changed
