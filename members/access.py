"""The members' access rule: who is a member of the alliance when signed in.

A member is the contact person of a member organization: someone who holds a contact-person
position today (`Position.objects.held_on`) appointed by an organization that is a member today
(`Organization.objects.members_on`). They sign in with a personal link sent by mail
(members/sign_in/) to a user account linked to their `Person` (`Person.user`).

The rule is checked on every request, so a contact person whose position ends, or whose
organization leaves the alliance, loses access at their next request, signed in or not.
"""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .models import Organization, Person, Position, Role

#: Attribute of the user object where `member_person` keeps its answer for the request.
_CACHE_ATTRIBUTE = "_member_person"


def contact_positions_on(date: datetime.date) -> QuerySet[Position]:
    """The contact-person positions held on `date` by appointment of an organization that was
    a member that day: who speaks for which member organization then (a vote's ballots, the
    members' pages)."""
    return Position.objects.held_on(date).filter(
        role=Role.CONTACT_PERSON, appointed_by__in=Organization.objects.members_on(date)
    )


def contact_persons_on(date: datetime.date) -> QuerySet[Person]:
    """The people who are members on `date`: contact persons, in a position held that day,
    appointed by an organization that was a member that day. One query when evaluated."""
    return Person.objects.filter(pk__in=contact_positions_on(date).values("person"))


def member_person(user) -> Person | None:
    """The person signed in as `user` when they are a member today, else None.

    One query at most (none for an anonymous visitor or a staff account: staff are never
    signed in by a member's link, members/sign_in/services.py); the answer is kept on the user
    object, which lives for one request."""
    if user is None or not user.is_authenticated or not user.is_active or user.is_staff:
        return None
    try:
        return getattr(user, _CACHE_ATTRIBUTE)
    except AttributeError:
        pass
    person = contact_persons_on(timezone.localdate()).filter(user=user).first()
    setattr(user, _CACHE_ATTRIBUTE, person)
    return person


def is_member(user) -> bool:
    """Whether `user` is a member signed in (see `member_person`)."""
    return member_person(user) is not None


def safe_next(next_url: str | None, request) -> str:
    """`next_url` when it is an address on this site, else the home page."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("home")


def sign_in_url(next_url: str) -> str:
    """The members' sign-in page, sending the member back to `next_url` once signed in (only
    a path on this site: another is dropped)."""
    url = reverse("members:member_sign_in")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts=set()):
        return f"{url}?{urlencode({'next': next_url})}"
    return url
