"""Writes for mailings: sending one to a group, writing each recipient's mail (the worker's
side), reminders, and a recipient declining.

The request that sends a mailing does only fast work: it stores the mailing and its
recipients (one bulk insert) and enqueues one task (`deliver_mailing`, below). The worker
writes each recipient's mail in their language and hands them to the outbox
(`anso.mail.sending.mails_queue`), which sends them at the configured rate, with retries.

Registering through an invitation goes through the attendance services
(`meetings.attendance.services.registration_submit`): there is no second registration path.
"""

import dataclasses
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from anso.background.tasks import background
from anso.links import absolute_url
from anso.mail.sending import Mail, mails_queue, send_after_commit
from anso.text.dates import date_range
from anso.text.hygiene import one_line
from anso.text.places import place_text
from members.announcements import unsubscribe_path
from members.models import Person
from members.services import PersonDetails, person_find_or_create

from ..attendance.models import Participation, ParticipationStatus
from ..models import Meeting
from . import selectors
from .links import invitation_list_path, invitation_path
from .models import Mailing, MailingKind, MailingRecipient
from .templating import html_from_text, template_fill

#: Recipients written per transaction by the worker: a crash loses at most one batch's work,
#: and a run again continues with the recipients still without a mail.
DELIVERY_BATCH = 500


@dataclasses.dataclass(frozen=True)
class MailingDraft:
    """What the composer collects: the kind, the meeting, and the templates."""

    kind: str
    meeting: Meeting | None
    subject_en: str
    body_en: str
    subject_zh_hans: str = ""
    body_zh_hans: str = ""
    recipients_label: str = ""
    submission_key: str = ""

    def mailing(self, *, by: AbstractBaseUser | None = None) -> Mailing:
        """The mailing it describes, not saved (the composer's preview renders it)."""
        return Mailing(
            kind=self.kind,
            meeting=self.meeting,
            subject_en=self.subject_en,
            body_en=self.body_en,
            subject_zh_hans=self.subject_zh_hans,
            body_zh_hans=self.body_zh_hans,
            recipients_label=self.recipients_label[:200],
            submission_key=self.submission_key or None,
            created_by=by,
        )


class MailingAlreadySent(Exception):
    """The composer's form was sent before (its submission key is stored): nothing more is
    sent. `mailing` is the one stored the first time."""

    def __init__(self, mailing: Mailing):
        super().__init__(f"Mailing {mailing.pk} was already sent from this form.")
        self.mailing = mailing


def mailing_send(
    *, draft: MailingDraft, people: Iterable[Person], by: AbstractBaseUser | None
) -> Mailing:
    """Store the mailing and one recipient per person (`people` come from
    `selectors.recipients_pick`, annotated with `mail_language`), then hand the mailing to
    the worker once the transaction commits."""
    with transaction.atomic():
        mailing = draft.mailing(by=by)
        try:
            with transaction.atomic():
                mailing.save()
        except IntegrityError:
            # The unique key: a double click or a resent form. Whoever stored it first sends.
            earlier = Mailing.objects.filter(submission_key=draft.submission_key).first()
            if earlier is None:
                raise
            raise MailingAlreadySent(earlier) from None
        MailingRecipient.objects.bulk_create(
            (
                MailingRecipient(
                    mailing=mailing,
                    person=person,
                    address=person.email,
                    language=getattr(person, "mail_language", "")
                    or person.language
                    or settings.LANGUAGE_CODE,
                )
                for person in people
            ),
            batch_size=1000,
        )
        _deliver_after_commit(mailing_id=mailing.pk)
    return mailing


def _deliver_after_commit(*, mailing_id: int) -> None:
    transaction.on_commit(lambda: deliver_mailing.enqueue(mailing_id=mailing_id), robust=True)


def placeholder_values(*, mailing: Mailing, recipient: MailingRecipient) -> dict[str, str]:
    """The values of the placeholders for one recipient, in the active language."""
    person = recipient.person
    meeting = mailing.meeting
    values = {
        "name": person.display_name,
        "organization": person.organization.name if person.organization_id else "",
        "meeting": "",
        "dates": "",
        "venue": "",
        "link": "",
    }
    if meeting is not None:
        values["meeting"] = meeting.title
        values["dates"] = date_range(meeting.start_date, meeting.end_date)
        values["venue"] = place_text(venue=meeting.venue, city=meeting.city)
        if mailing.is_invitation:
            values["link"] = absolute_url(invitation_path(recipient=recipient, meeting=meeting))
    return values


def mailing_render(
    *, mailing: Mailing, recipient: MailingRecipient, reminder: bool = False
) -> Mail:
    """One recipient's mail, in their language (the template of that language, English when
    the mailing has none): the text, its HTML part, and for an announcement the unsubscribe
    link and headers (RFC 2369, RFC 8058)."""
    with translation.override(recipient.language):
        subject_template, body_template = mailing.template_for(recipient.language)
        values = placeholder_values(mailing=mailing, recipient=recipient)
        subject = one_line(template_fill(subject_template, values))
        body = template_fill(body_template, values).strip()
        if recipient.replaces_id is not None:
            body = f"{substitute_introduction(recipient=recipient)}\n\n{body}"
        if reminder:
            subject = pgettext("subject of a reminder", "Reminder: %(subject)s") % {
                "subject": subject
            }
        headers: dict[str, str] = {}
        footer = unsubscribe = ""
        if mailing.kind == MailingKind.ANNOUNCEMENT:
            unsubscribe = absolute_url(unsubscribe_path(person=recipient.person))
            headers = {
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            # The address on a line of its own: glued to a (full-width) colon, mail programs
            # do not see it as a link.
            footer = gettext(
                "You receive the Secretariat's announcements as a contact of the alliance. "
                "To receive no more of them:"
            )
        text = f"{body}\n\n-- \n{footer}\n{unsubscribe}\n" if footer else f"{body}\n"
        html = html_from_text(body, footer=footer, footer_link=unsubscribe)
    return Mail(
        to=[recipient.address], subject=subject, body=text, html=html, headers=headers, bulk=True
    )


def substitute_introduction(*, recipient: MailingRecipient) -> str:
    """The line above a substitute's invitation: who named them, in the active language."""
    declined = recipient.replaces.person
    return gettext(
        "%(name)s cannot come and has named you to attend in their place. "
        "This invitation, and the link in it, are your own."
    ) % {"name": declined.display_name}


def mailing_deliver(*, mailing_id: int) -> int:
    """The worker's side: write the mail of every recipient who has none yet, and of every
    recipient a reminder is due to, and hand them to the outbox. Returns how many it wrote.
    Safe to run again: it continues with what is left."""
    mailing = Mailing.objects.select_related("meeting").filter(pk=mailing_id).first()
    if mailing is None:
        return 0
    written = 0
    recipients = mailing.recipients.select_related(
        "person", "person__organization", "replaces__person"
    ).order_by("pk")
    for reminder in (False, True):
        unwritten = (
            recipients.filter(reminder_pending=True)
            if reminder
            else recipients.filter(mail__isnull=True)
        )
        while True:
            with transaction.atomic():
                # Locked, and rows another worker holds are left to it: a reminder queued
                # while the first delivery runs never writes a recipient's mail twice.
                batch = list(
                    unwritten.select_for_update(skip_locked=True, of=("self",))[:DELIVERY_BATCH]
                )
                if not batch:
                    break
                mails = [
                    mailing_render(mailing=mailing, recipient=recipient, reminder=reminder)
                    for recipient in batch
                ]
                queued = mails_queue(mails)
                for recipient, mail in zip(batch, queued, strict=True):
                    if reminder:
                        recipient.reminder_mail = mail
                        recipient.reminder_pending = False
                    else:
                        recipient.mail = mail
                fields = ["reminder_mail", "reminder_pending"] if reminder else ["mail"]
                MailingRecipient.objects.bulk_update(batch, fields)
            written += len(batch)
    if mailing.sent_at is None:
        Mailing.objects.filter(pk=mailing.pk).update(sent_at=timezone.now())
    return written


@background
def deliver_mailing(mailing_id: int, **_queued_before) -> int:
    """The worker's task of a mailing, enqueued after the commit of `mailing_send`.
    `_queued_before`: a job queued before links were made from SITE_URL also carries the
    site's address, now unused."""
    return mailing_deliver(mailing_id=mailing_id)


def mailing_deliver_again(*, mailings: Iterable[Mailing]) -> int:
    """Hand again to the worker the mailings that never left: not (or not wholly) written
    out, or with reminders still to write. Safe while a delivery runs (`mailing_deliver`
    skips the recipients another run holds). Returns how many mailings."""
    ids = sorted({mailing.pk for mailing in mailings if mailing.sent_at is None})
    ids += sorted(
        set(
            MailingRecipient.objects.filter(
                mailing__in=[mailing.pk for mailing in mailings if mailing.sent_at is not None],
                reminder_pending=True,
            ).values_list("mailing_id", flat=True)
        )
    )
    for mailing_id in ids:
        _deliver_after_commit(mailing_id=mailing_id)
    return len(ids)


def mailings_unwritten_deliver(*, now: datetime.datetime | None = None) -> int:
    """The upkeep's chore: mailings whose delivery was never queued (the queue was down at
    commit) or whose worker stopped, `MAILING_STALE_SECONDS` after they were sent."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.MAILING_STALE_SECONDS)
    stale = Mailing.objects.filter(created_at__lt=cutoff).filter(
        Q(sent_at__isnull=True) | Q(recipients__reminder_pending=True)
    )
    return mailing_deliver_again(mailings=list(stale.distinct().only("pk", "sent_at")))


def invitation_reminders_queue(*, meeting: Meeting, now: datetime.datetime | None = None) -> int:
    """Queue a reminder to every recipient of the meeting's invitations a reminder is due to
    (`selectors.reminder_due`: they have not answered, and had time to). Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        targets = list(
            selectors.reminder_targets(meeting=meeting, now=now).values_list("pk", "mailing_id")
        )
        pks = [pk for pk, _mailing_id in targets]
        mailing_ids = {mailing_id for _pk, mailing_id in targets}
        MailingRecipient.objects.filter(pk__in=pks).update(
            reminder_pending=True, reminders_sent=F("reminders_sent") + 1
        )
        for mailing_id in sorted(mailing_ids):
            _deliver_after_commit(mailing_id=mailing_id)
    return len(pks)


def invitation_decline(
    *, recipient: MailingRecipient, now: datetime.datetime | None = None
) -> bool:
    """The recipient says they will not come. Returns False when they had already declined.
    A registration made later still counts: registered wins over declined."""
    updated = MailingRecipient.objects.filter(pk=recipient.pk, declined_at__isnull=True).update(
        declined_at=now or timezone.now()
    )
    return bool(updated)


@dataclasses.dataclass(frozen=True)
class SubstituteDetails:
    """Who an invitee who cannot come names to attend in their place."""

    family_name: str
    email: str
    given_name: str = ""


class SubstitutionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_substitute(
    *, recipient: MailingRecipient, details: SubstituteDetails, language: str
) -> MailingRecipient:
    """The recipient, who declined, names a substitute from their organization: the person
    is found by the address or created (for the recipient's organization and country), and
    gets an invitation of their own in the same mailing, linked to the one it replaces, written
    and sent by the worker after the commit (`deliver_mailing`); the Secretariat
    (`MAIL_REPLY_TO`) is told. One substitute per declined invitation (the row is locked, and
    `replaces` is unique). Raises SubstitutionError when the recipient has not declined, has
    named one already, has registered since, or the person cannot replace them
    (`selectors.substitute_problem`)."""
    with transaction.atomic():
        recipient = (
            MailingRecipient.objects.select_for_update(of=("self",))
            .select_related("person", "person__organization", "mailing__meeting")
            .get(pk=recipient.pk)
        )
        if recipient.declined_at is None:
            raise SubstitutionError(
                gettext("Only an invitation that was declined can be passed on.")
            )
        if MailingRecipient.objects.filter(replaces=recipient).exists():
            raise SubstitutionError(gettext("You have already named a substitute."))
        registered = Participation.objects.filter(
            meeting_id=recipient.mailing.meeting_id, person_id=recipient.person_id
        ).exclude(status=ParticipationStatus.CANCELLED)
        if registered.exists():  # registered wins over declined
            raise SubstitutionError(
                gettext("You are registered for this meeting: nobody comes in your place.")
            )
        problem = selectors.substitute_problem(recipient=recipient, email=details.email)
        if problem:
            raise SubstitutionError(problem)
        declined = recipient.person
        person = person_find_or_create(
            details=PersonDetails(
                family_name=details.family_name,
                given_name=details.given_name,
                email=details.email,
                organization=declined.organization,
                country=declined.country.code if declined.country else "",
            ),
            # What a visitor types proves nothing about a record that exists already.
            fill_blanks=False,
            reason=gettext("named as a substitute"),
        )
        substitute = MailingRecipient.objects.create(
            mailing=recipient.mailing,
            person=person,
            address=person.email,
            language=person.language or language,
            replaces=recipient,
        )
        _deliver_after_commit(mailing_id=recipient.mailing_id)
        _secretariat_told(substitute=substitute)
    return substitute


def _secretariat_told(*, substitute: MailingRecipient) -> None:
    """The Secretariat's mail about a substitution, in the site's language."""
    meeting = substitute.mailing.meeting
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "meeting": meeting,
            "declined": substitute.replaces.person,
            "substitute": substitute.person,
            "address": substitute.address,
            "link": absolute_url(invitation_list_path(meeting=meeting)),
            "SITE_NAME": gettext(settings.SITE_NAME),  # the default name is a message
        }
        send_after_commit(
            subject=one_line(
                render_to_string("meetings/email/invitation_substitute_subject.txt", context)
            ),
            body=render_to_string("meetings/email/invitation_substitute.txt", context),
            to=[settings.MAIL_REPLY_TO],
        )
