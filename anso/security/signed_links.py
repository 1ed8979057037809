"""Signed links: a value the site puts in a URL and reads back, signed with SECRET_KEY so that
nobody can make one up or change it (django.core.signing).

Each kind of link has its own salt, so that a token of one kind is worthless as another. A
link with a `max_age` carries its signing time: past that age it still names its value (a page
can say what the link was for) but reports itself expired.
"""

import datetime
from dataclasses import dataclass

from django.core import signing


@dataclass(frozen=True)
class SignedValue:
    value: str
    expired: bool = False


@dataclass(frozen=True)
class LinkSigner:
    """Signs and reads one kind of link. `sep` is part of the token's format: a signer that
    already handed out links keeps its separator, or those links stop working."""

    salt: str
    max_age: datetime.timedelta | None = None
    sep: str = ":"

    def _signer(self) -> signing.Signer:
        if self.max_age is None:
            return signing.Signer(salt=self.salt, sep=self.sep)
        return signing.TimestampSigner(salt=self.salt, sep=self.sep)

    def sign(self, value: str) -> str:
        return self._signer().sign(value)

    def unsign(self, token: str) -> SignedValue | None:
        """The value the token carries and whether it is past `max_age`; None for a token the
        site did not sign (tampered, truncated, or of another kind)."""
        signer = self._signer()
        try:
            value = signer.unsign(token)
        except signing.BadSignature:
            return None
        if self.max_age is None:
            return SignedValue(value=value)
        try:
            signer.unsign(token, max_age=self.max_age)
        except signing.SignatureExpired:
            return SignedValue(value=value, expired=True)
        return SignedValue(value=value)
