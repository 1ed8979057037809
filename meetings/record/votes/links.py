"""The personal ballot link: one per contact person and vote, mailed when the vote opens.

The token is the vote's and the person's numbers, signed with the site's secret key under a
salt of its own (`anso.security.signed_links`): a token of another kind of link is worthless
here, and a number changed by hand is refused. The link names its holder; whether they may
still cast a ballot (the current contact person of a member organization, the vote open) is
decided on each request by the services, so the link needs no expiry of its own."""

from django.urls import reverse

from anso.security.signed_links import LinkSigner
from members.models import Person

from .models import Vote

BALLOT_LINK_SALT = "meetings.vote-ballot"
_LINKS = LinkSigner(salt=BALLOT_LINK_SALT)


def ballot_token(*, vote: Vote, person: Person) -> str:
    return _LINKS.sign(f"{vote.pk}-{person.pk}")


def ballot_path(*, vote: Vote, person: Person) -> str:
    """The path of the person's ballot page, in the active language (the mail's)."""
    return reverse("meetings:ballot", kwargs={"token": ballot_token(vote=vote, person=person)})


def ballot_ids_from_token(token: str) -> tuple[int, int] | None:
    """The vote's and the person's numbers, or None for a token the site did not sign."""
    signed = _LINKS.unsign(token)
    if signed is None:
        return None
    vote_id, _sep, person_id = signed.value.partition("-")
    if not (vote_id.isdigit() and person_id.isdigit()):
        return None
    return int(vote_id), int(person_id)
