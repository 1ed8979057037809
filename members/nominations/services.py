"""The nomination workflow: the writes that do more than one save.

Nominations: submit (public form), confirm (signed link), approve and reject (admin).
Each runs in one transaction, records a NominationEvent for every change of status and
sends its mail only after the transaction commits.
"""

import datetime
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anso.links import absolute_url
from anso.mail.sending import send_after_commit
from anso.security.client import client_address_hash
from anso.security.signed_links import LinkSigner

from ..models import Body, BodyKind, Organization, Person, Position, Role
from ..names import NameOrder
from ..roles import SECRETARIAT_GROUP
from ..services import PersonDetails, person_find_or_create
from .models import Nomination, NominationEvent, NominationKind, NominationStatus

#: How long the confirmation link in the submitter's mail confirms a nomination.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)
CONFIRMATION_LINK = LinkSigner(salt="members.nomination.confirm", max_age=CONFIRMATION_MAX_AGE)


@dataclass(frozen=True)
class NominationDetails:
    """What the public form collects: the member organization, the nominee and the person
    submitting (the nomination's fields, by name)."""

    organization: Organization
    family_name: str
    email: str
    job_title: str
    country: str
    submitter_name: str
    submitter_email: str
    submitter_role: str
    kind: str = NominationKind.CONTACT_PERSON
    honorific: str = ""
    given_name: str = ""
    name_order: str = NameOrder.GIVEN_FIRST
    name_original: str = ""
    phone: str = ""
    replaces: Person | None = None
    consent_to_publish: bool = False

    def as_fields(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


class NominationError(Exception):
    """A nomination cannot go where it was asked to; the message is for the user."""


class NominationAlreadyOpen(NominationError):
    def __init__(self, existing: Nomination | None = None):
        self.existing = existing
        super().__init__(
            _(
                "A nomination of this person for this organization is already open. The "
                "submitter received a confirmation link by email; once confirmed, the "
                "Secretariat reviews it and answers by email."
            )
        )


class NominationAlreadyDecided(NominationError):
    def __init__(self, nomination: Nomination):
        self.nomination = nomination
        super().__init__(
            _("This nomination was already %(status)s; it cannot be decided again.")
            % {"status": nomination.get_status_display()}
        )


# Signed links -----------------------------------------------------------------------------


def nomination_token(*, nomination: Nomination) -> str:
    """The signed, timestamped token in the confirmation link."""
    return CONFIRMATION_LINK.sign(str(nomination.pk))


@dataclass(frozen=True)
class LinkCheck:
    nomination: Nomination
    expired: bool


def nomination_from_token(*, token: str) -> LinkCheck | None:
    """The nomination a link points to, and whether the link is past its confirmation age.

    None for a tampered or unknown link. An expired link still identifies its nomination so
    that a confirmed nomination's status stays visible; it no longer confirms anything.
    """
    signed = CONFIRMATION_LINK.unsign(token)
    if signed is None:
        return None
    nomination = (
        Nomination.objects.select_related("organization", "replaces")
        .filter(pk=signed.value)
        .first()
    )
    if nomination is None:
        return None
    return LinkCheck(nomination=nomination, expired=signed.expired)


# Mail ---------------------------------------------------------------------------------------


def _send_after_commit(
    *, template: str, subject: str, to: list[str], context: dict[str, Any]
) -> None:
    context = {"SITE_NAME": _(settings.SITE_NAME), **context}  # the default name is a message
    send_after_commit(subject=subject, body=render_to_string(template, context), to=to)


def _mail_confirmation_link(*, nomination: Nomination) -> None:
    """The mail with the link that confirms the nomination, to its submitter."""
    with _in_language_of(nomination):
        _mail_confirmation_link_now(nomination=nomination)


def _in_language_of(nomination: Nomination):
    """The submitter's language, the nomination form's (mails to the submitter)."""
    return translation.override(nomination.language or settings.LANGUAGE_CODE)


def _mail_confirmation_link_now(*, nomination: Nomination) -> None:
    link = absolute_url(
        reverse(
            "members:nomination_confirm", kwargs={"token": nomination_token(nomination=nomination)}
        )
    )
    _send_after_commit(
        template="members/email/nomination_confirm.txt",
        subject=_("Please confirm the nomination of %(name)s") % {"name": nomination.display_name},
        to=[nomination.submitter_email],
        context={"nomination": nomination, "link": link, "days": CONFIRMATION_MAX_AGE.days},
    )


def _record(
    *,
    nomination: Nomination,
    from_status: str,
    to_status: str,
    actor: AbstractBaseUser | None = None,
    note: str = "",
) -> NominationEvent:
    return NominationEvent.objects.create(
        nomination=nomination,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note[:500],
    )


# The workflow -------------------------------------------------------------------------------


def nomination_submit(
    *,
    details: NominationDetails,
    client_address: str = "",
    language: str = "",
) -> Nomination:
    """Store a nomination from the public form as unconfirmed and email the submitter the
    confirmation link after commit.

    An unconfirmed nomination of the same nominee for the same organization whose link has
    expired is marked expired first, so that it does not block this one. Raises
    NominationAlreadyOpen when another open nomination exists, also when a simultaneous
    submission won the race (the database constraint decides). The nomination remembers
    `language` (the form's): the submitter's mails are written in it.
    """
    now = timezone.now()
    with transaction.atomic():
        stale = (
            Nomination.objects.select_for_update()
            .for_nominee(email=details.email, organization=details.organization)
            .filter(status=NominationStatus.UNCONFIRMED, created_at__lt=now - CONFIRMATION_MAX_AGE)
        )
        for old in stale:
            old.status = NominationStatus.EXPIRED
            old.save(update_fields=["status"])
            _record(
                nomination=old,
                from_status=NominationStatus.UNCONFIRMED,
                to_status=NominationStatus.EXPIRED,
                note=_("Replaced by a new submission after the link expired."),
            )
        existing = (
            Nomination.objects.open()
            .for_nominee(email=details.email, organization=details.organization)
            .first()
        )
        if existing is not None:
            raise NominationAlreadyOpen(existing)
        nomination = Nomination(
            **details.as_fields(),
            status=NominationStatus.UNCONFIRMED,
            submitter_ip_hash=client_address_hash(client_address),
            language=language or settings.LANGUAGE_CODE,
        )
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError as error:
            # A simultaneous submission of the same nominee committed first.
            raise NominationAlreadyOpen() from error
        _record(nomination=nomination, from_status="", to_status=NominationStatus.UNCONFIRMED)
        _mail_confirmation_link(nomination=nomination)
    return nomination


def nomination_resend_link(*, submitter_email: str) -> int:
    """Mail a fresh confirmation link for each nomination submitted with this address that
    still awaits its confirmation (and still blocks a new submission): the way back for a
    submitter whose first mail never arrived. Returns how many were sent; the visitor is not
    told, so that the answer does not reveal who nominated whom."""
    now = timezone.now()
    pending = Nomination.objects.filter(
        submitter_email__iexact=submitter_email.strip(),
        status=NominationStatus.UNCONFIRMED,
        created_at__gte=now - CONFIRMATION_MAX_AGE,
    ).select_related("organization")
    sent = 0
    for nomination in pending:
        _mail_confirmation_link(nomination=nomination)
        sent += 1
    return sent


def _reviewer_emails() -> list[str]:
    """The addresses of the active members of the Secretariat group."""
    users = User.objects.filter(is_active=True, groups__name=SECRETARIAT_GROUP).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def nomination_confirm(*, nomination: Nomination) -> bool:
    """The submitter confirmed: unconfirmed becomes awaiting review, and the Secretariat is
    mailed a link to the nomination in the admin after commit. Returns whether anything
    changed (confirming again only shows the status)."""
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.UNCONFIRMED:
            return False
        nomination.status = NominationStatus.AWAITING_REVIEW
        nomination.confirmed_at = timezone.now()
        nomination.save(update_fields=["status", "confirmed_at"])
        _record(
            nomination=nomination,
            from_status=NominationStatus.UNCONFIRMED,
            to_status=NominationStatus.AWAITING_REVIEW,
            note=_("Confirmed by the submitter's link."),
        )
        reviewers = _reviewer_emails()
        # The Secretariat's mail: in the site's language, whoever confirmed.
        with translation.override(settings.LANGUAGE_CODE):
            if reviewers:
                admin_path = reverse("admin:members_nomination_change", args=[nomination.pk])
                _send_after_commit(
                    template="members/email/nomination_to_review.txt",
                    subject=_("Nomination to review: %(name)s") % {"name": nomination.display_name},
                    to=reviewers,
                    context={"nomination": nomination, "link": absolute_url(admin_path)},
                )
    return True


def _working_group() -> Body:
    body = Body.objects.filter(kind=BodyKind.WORKING_GROUP).order_by("pk").first()
    if body is None:
        raise NominationError(
            _("There is no Working Group body yet: create it in the admin first.")
        )
    return body


def _lock_undecided(nomination: Nomination) -> Nomination:
    locked = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("organization", "replaces")
        .get(pk=nomination.pk)
    )
    if locked.is_decided:
        raise NominationAlreadyDecided(locked)
    return locked


def nomination_approve(
    *,
    nomination: Nomination,
    reviewer: AbstractBaseUser,
    on: datetime.date | None = None,
) -> Position:
    """Approve a nomination: reuse the Person with the same email (or create one), open the
    contact-person or expert Position in the Working Group from `on` (today by default), end
    the replaced contact person's position the day before, record the review, email the
    submitter after commit.

    Raises NominationAlreadyDecided when it was approved or rejected already (also by a
    simultaneous approval: the row lock makes the second wait and then see the first).
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        nomination = _lock_undecided(nomination)
        if nomination.status != NominationStatus.AWAITING_REVIEW:
            raise NominationError(
                _(
                    "Only a nomination awaiting review can be approved; this one is "
                    "%(status)s (the submitter has not confirmed it)."
                )
                % {"status": nomination.get_status_display()}
            )
        body = _working_group()
        role = (
            Role.CONTACT_PERSON if nomination.kind == NominationKind.CONTACT_PERSON else Role.EXPERT
        )

        # Fill in what the record lacks; never overwrite what the Secretariat entered.
        person = person_find_or_create(
            details=PersonDetails.of(nomination), reason=_("nomination approved")
        )

        already = (
            Position.objects.held_on(on)
            .filter(person=person, body=body, role=role, appointed_by=nomination.organization)
            .exists()
        )
        if already:
            raise NominationError(
                _("%(person)s already holds this position in the Working Group.")
                % {"person": person}
            )

        if nomination.replaces_id:
            replaced = Position.objects.held_on(on).filter(
                person_id=nomination.replaces_id,
                body=body,
                role=Role.CONTACT_PERSON,
                appointed_by=nomination.organization,
            )
            day_before = on - datetime.timedelta(days=1)
            for old in replaced.select_for_update():
                old.end_date = max(day_before, old.start_date)
                old.save(update_fields=["end_date"])

        position = Position.objects.create(
            person=person,
            role=role,
            body=body,
            appointed_by=nomination.organization,
            start_date=on,
            listed_publicly=nomination.consent_to_publish,
        )

        previous = nomination.status
        nomination.status = NominationStatus.APPROVED
        nomination.reviewed_by = reviewer
        nomination.reviewed_at = timezone.now()
        nomination.person = person
        nomination.position = position
        nomination.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "person", "position"]
        )
        _record(
            nomination=nomination,
            from_status=previous,
            to_status=NominationStatus.APPROVED,
            actor=reviewer,
        )
        with _in_language_of(nomination):
            _send_after_commit(
                template="members/email/nomination_approved.txt",
                subject=_("Nomination approved: %(name)s") % {"name": nomination.display_name},
                to=[nomination.submitter_email],
                context={"nomination": nomination, "position": position},
            )
    return position


def nomination_reject(
    *, nomination: Nomination, reviewer: AbstractBaseUser, reason: str
) -> Nomination:
    """Reject a nomination with a reason, record the review, email the submitter after
    commit."""
    reason = reason.strip()
    if not reason:
        raise NominationError(_("Give a reason for the rejection; it is sent to the submitter."))
    with transaction.atomic():
        nomination = _lock_undecided(nomination)
        previous = nomination.status
        nomination.status = NominationStatus.REJECTED
        nomination.reason = reason
        nomination.reviewed_by = reviewer
        nomination.reviewed_at = timezone.now()
        nomination.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
        _record(
            nomination=nomination,
            from_status=previous,
            to_status=NominationStatus.REJECTED,
            actor=reviewer,
            note=reason,
        )
        with _in_language_of(nomination):
            _send_after_commit(
                template="members/email/nomination_rejected.txt",
                subject=_("Nomination not accepted: %(name)s") % {"name": nomination.display_name},
                to=[nomination.submitter_email],
                context={"nomination": nomination},
            )
    return nomination
