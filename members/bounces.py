"""Addresses a mail server refused for good: the people who have them are marked, so the
Secretariat sees in the admin which addresses to check. Connected to
`anso.mail.sending.mail_refused` in members/apps.py (anso knows addresses, not people)."""

from django.db import transaction
from django.utils import timezone

from .models import Person


def person_email_mark_doubtful(*, addresses: list[str], reply: str, **kwargs) -> int:
    """Mark the people with one of these addresses (the first refusal's time is kept, the
    latest answer shown). Returns how many were marked."""
    emails = {address.strip().lower() for address in addresses if address.strip()}
    if not emails:
        return 0
    now = timezone.now()
    marked = 0
    with transaction.atomic():
        for person in Person.objects.select_for_update().filter(email__in=emails):
            person.email_doubtful_since = person.email_doubtful_since or now
            person.email_doubtful_reason = reply[:1000]
            person.save(update_fields=["email_doubtful_since", "email_doubtful_reason"])
            marked += 1
    return marked
