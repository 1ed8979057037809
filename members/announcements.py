"""Opting out of the Secretariat's announcements: the signed link each announcement carries
(in its text and in its `List-Unsubscribe` header) and the one write it makes.

Only announcements are concerned. Invitations to a meeting and the mails about a person's
own registration or nomination are sent whatever this says.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from anso.security.signed_links import LinkSigner

from .models import Person

UNSUBSCRIBE_SALT = "members.announcements.unsubscribe"
# No expiry: an unsubscribe link must work as long as the mail that carries it is read.
_LINKS = LinkSigner(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(*, person: Person) -> str:
    return _LINKS.sign(str(person.pk))


def unsubscribe_path(*, person: Person) -> str:
    """The path of the person's unsubscribe page, in the active language."""
    return reverse(
        "members:announcements_unsubscribe", kwargs={"token": unsubscribe_token(person=person)}
    )


def person_from_unsubscribe_token(token: str) -> Person | None:
    """The person the link was made for; None for a tampered or foreign link."""
    signed = _LINKS.unsign(token)
    if signed is None or not signed.value.isdigit():
        return None
    return Person.objects.filter(pk=int(signed.value)).first()


def announcements_opt_out(*, person: Person, now: datetime.datetime | None = None) -> bool:
    """Record that the person receives no more announcements. Returns False when they had
    already opted out (the first date is kept)."""
    updated = Person.objects.filter(pk=person.pk, announcements_opted_out_at__isnull=True).update(
        announcements_opted_out_at=now or timezone.now()
    )
    return bool(updated)
