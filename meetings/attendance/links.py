"""Links to a registration and the registration mails that carry them.

The link is opaque: the participation's random key, signed with the site's secret key
(`anso.security.signed_links`). It carries no ids, works until the day after the meeting, and a new
key (`registration_link_renew`) makes the earlier link stop working.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from anso.links import absolute_url
from anso.mail.sending import send_after_commit
from anso.security.signed_links import LinkSigner
from anso.text.hygiene import one_line

from ..models import Meeting
from .models import (
    Participation,
)

REGISTRATION_LINK_SALT = "meetings.registration"
#: The separator is part of the links already sent: it stays ".".
_LINKS = LinkSigner(salt=REGISTRATION_LINK_SALT, sep=".")
#: The check-in code printed on a badge: a salt of its own, so that it opens nothing else.
CHECK_IN_CODE_SALT = "meetings.check-in-code"
_CHECK_IN_CODES = LinkSigner(salt=CHECK_IN_CODE_SALT, sep=".")


# --- links to a registration ----------------------------------------------------------------


def registration_token(*, participation: Participation) -> str:
    """The opaque part of the link that lets a registrant view and change their registration:
    the participation's random key, signed with the site's secret key. It carries no ids; a
    copy of the database alone cannot make a working link; `registration_link_renew` gives
    the participation a new key, and the earlier link stops working."""
    return _LINKS.sign(participation.manage_key)


def registration_link_valid_until(*, meeting: Meeting) -> datetime.date:
    """The last day a link to a registration works: the day after the meeting ends."""
    return meeting.end_date + datetime.timedelta(days=1)


def registration_link_expired(*, meeting: Meeting, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > registration_link_valid_until(meeting=meeting)


def registration_from_token(*, token: str, meeting: Meeting) -> Participation | None:
    """The participation a link points to, or None for a tampered, replaced or foreign link.
    Whether the link has expired is `registration_link_expired`."""
    signed = _LINKS.unsign(token)
    if signed is None:
        return None
    return (
        Participation.objects.select_related("person", "organization", "meeting")
        .filter(manage_key=signed.value, meeting=meeting)
        .first()
    )


def registration_manage_url(*, participation: Participation) -> str:
    meeting = participation.meeting
    return reverse(
        "meetings:registration_manage",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": registration_token(participation=participation),
        },
    )


def registration_mail_after_commit(*, participation: Participation, template: str) -> None:
    """Send one of the registration mails once the transaction has committed, in the
    language the participant registered in (links included: /zh-hans/... for a Chinese one)."""
    if not participation.person.email:
        return
    with translation.override(participation.language or settings.LANGUAGE_CODE):
        subject, body = _registration_mail(participation=participation, template=template)
    send_after_commit(subject=subject, body=body, to=[participation.person.email])


def _registration_mail(*, participation: Participation, template: str) -> tuple[str, str]:
    context = {
        "participation": participation,
        "meeting": participation.meeting,
        "person": participation.person,
        "manage_url": absolute_url(registration_manage_url(participation=participation)),
        "meeting_url": absolute_url(participation.meeting.get_absolute_url()),
        "SITE_NAME": gettext(settings.SITE_NAME),  # the default name is a message
    }
    subject = one_line(render_to_string(f"meetings/email/{template}_subject.txt", context))
    body = render_to_string(f"meetings/email/{template}.txt", context)
    return subject, body


# --- the check-in code of a badge -------------------------------------------------------------


def check_in_code(*, participation: Participation) -> str:
    """What a badge's QR code carries to the check-in page: the participation's number, signed
    with the site's secret key. It names nobody (the number is shown to signed-in Secretariat
    members only, through the page it opens), and a number changed by hand is refused, so the
    codes cannot be walked. It is not the registration's link key: a badge seen by others
    opens nothing for them."""
    return _CHECK_IN_CODES.sign(str(participation.pk))


def participation_id_from_check_in_code(code: str) -> int | None:
    """The participation a badge's code names, or None for a code the site did not sign."""
    signed = _CHECK_IN_CODES.unsign(code)
    if signed is None or not signed.value.isdigit():
        return None
    return int(signed.value)
