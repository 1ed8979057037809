"""The personal link of an invitation: the recipient's random key, signed with the site's
secret key under a salt of its own (`anso.security.signed_links`), so that a token of another kind
of link is worthless here and a copy of the database alone cannot make one.

It opens the meeting's registration form for that person until registration closes; after
that it has expired (410). A tampered or foreign token is not valid (404)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from anso.security.signed_links import LinkSigner

from ..models import Meeting, RegistrationWindow
from .models import MailingKind, MailingRecipient

INVITATION_LINK_SALT = "meetings.invitation"
_LINKS = LinkSigner(salt=INVITATION_LINK_SALT)


def invitation_token(*, recipient: MailingRecipient) -> str:
    return _LINKS.sign(recipient.key)


def invitation_path(*, recipient: MailingRecipient, meeting: Meeting) -> str:
    """The path of the recipient's link, in the active language (the mail's)."""
    return reverse(
        "meetings:invitation_respond",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": invitation_token(recipient=recipient),
        },
    )


def invitation_list_path(*, meeting: Meeting) -> str:
    """The Secretariat's invitation page of the meeting."""
    return reverse(
        "meetings:invitation_list",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


def recipient_from_token(*, token: str, meeting: Meeting) -> MailingRecipient | None:
    """The invitation's recipient, or None for a tampered, foreign or unknown token."""
    signed = _LINKS.unsign(token)
    if signed is None:
        return None
    return (
        MailingRecipient.objects.select_related("person", "person__organization", "mailing")
        .filter(key=signed.value, mailing__meeting=meeting, mailing__kind=MailingKind.INVITATION)
        .first()
    )


def invitation_link_expired(
    *, window: RegistrationWindow | None, now: datetime.datetime | None = None
) -> bool:
    """The link works while the meeting's registration window has not closed."""
    return window is None or (now or timezone.now()) >= window.closes_at
