"""The members' sign-in link: the account a contact person signs in to, the mail that carries
the link, and the one use of its token.

The token is django-sesame's: signed with the site's secret key, valid for SESAME_MAX_AGE
seconds, and tied to the account's last sign-in date, so that it stops working once used
(SESAME_ONE_TIME). It is scoped (`TOKEN_SCOPE`): no other sesame token opens this door.
"""

import enum
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from sesame.backends import ModelBackend as SesameBackend
from sesame.utils import get_token

from anso.background.tasks import background
from anso.links import absolute_url
from anso.mail.sending import send_after_commit
from anso.text.hygiene import one_line

from ..access import contact_persons_on, member_person
from ..models import Person

#: Tokens of this scope sign a member in; a sesame token made for anything else does not.
TOKEN_SCOPE = "members-sign-in"  # noqa: S105 (a name, not a secret)
#: The dotted path `login()` records in the session: the backend that reloads the user on
#: every request (it must be listed in AUTHENTICATION_BACKENDS).
BACKEND = "sesame.backends.ModelBackend"
#: How long after it expired a token is still told apart as "expired" (rather than "invalid").
_EXPIRED_RECOGNISED_FOR = 30 * 24 * 60 * 60


class TokenProblem(enum.Enum):
    EXPIRED = "expired"
    INVALID = "invalid"  # changed, already used, or not for a member


def member_username(person: Person) -> str:
    return f"member-{person.pk}"


def member_account(*, person: Person) -> AbstractBaseUser | None:
    """The account `person` signs in to, created at their first request for a link: no
    usable password, not staff, so the admin refuses it. None when a staff account already
    has the name this one would take: that account is never linked to a member."""
    user_model = get_user_model()
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        if person.user is not None:
            return person.user
        user, _ = user_model.objects.get_or_create(
            username=member_username(person),
            defaults={"is_staff": False, "is_superuser": False, "is_active": True},
        )
        if user.is_staff or user.is_superuser:
            return None
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        person.user = user
        person.save(update_fields=["user"])
        return user


def sign_in_link_request(*, email: str, language: str, next_url: str = "") -> None:
    """Hand the typed address to the worker, whatever it is: the request does the same work
    for a member's address and for any other (it queues one task), so that its answer takes
    no longer for either. The worker looks the address up and mails a member only
    (`sign_in_link_send`). `next_url` must already be a safe path."""
    transaction.on_commit(
        lambda: sign_in_link_send_task.enqueue(email=email, language=language, next_url=next_url),
        robust=True,
    )


@background
def sign_in_link_send_task(email: str, language: str, next_url: str = "") -> None:
    """The worker's side of `sign_in_link_request`."""
    sign_in_link_send(email=email, language=language, next_url=next_url)


def sign_in_link_send(*, email: str, language: str, next_url: str = "") -> None:
    """Mail a sign-in link to `email` if it is the address of a member (a contact person of a
    member organization today). Says nothing either way: the visitor's answer must not reveal
    who is a member. `next_url` must already be a safe path."""
    email = email.strip().lower()
    if not email:
        return
    person = contact_persons_on(timezone.localdate()).filter(email__iexact=email).first()
    if person is None:
        return
    user = member_account(person=person)
    if user is None or not user.is_active or user.is_staff or user.is_superuser:
        # Staff sign in with their password and second factor, never with a mailed link.
        return
    token = get_token(user, scope=TOKEN_SCOPE)
    with translation.override(language):
        query = {settings.SESAME_TOKEN_NAME: token}
        if next_url:
            query["next"] = next_url
        context = {
            "person": person,
            "link": absolute_url(f"{reverse('members:member_sign_in_link')}?{urlencode(query)}"),
            "minutes": max(1, settings.SESAME_MAX_AGE // 60),
            "sign_in_url": absolute_url(reverse("members:member_sign_in")),
            "SITE_NAME": gettext(settings.SITE_NAME),
        }
        subject = one_line(render_to_string("members/email/sign_in_link_subject.txt", context))
        body = render_to_string("members/email/sign_in_link.txt", context)
    send_after_commit(subject=subject, body=body, to=[person.email])


def _user_for_token(token: str, **kwargs) -> AbstractBaseUser | None:
    # The backend itself, not `authenticate()`: a wrong token is not a failed password, and the
    # login-failure handlers (django-axes) would record it without a username or a request.
    return SesameBackend().authenticate(None, sesame=token, scope=TOKEN_SCOPE, **kwargs)


def sign_in_token_use(*, token: str) -> AbstractBaseUser | TokenProblem:
    """The member the token signs in, once: using it moves the account's last sign-in date,
    which every earlier token is tied to. Two requests with the same token are taken one after
    the other (the account's row is locked), so only the first signs in."""
    with transaction.atomic():
        user = _user_for_token(token)
        if user is None:
            expired = _user_for_token(token, max_age=_EXPIRED_RECOGNISED_FOR) is not None
            return TokenProblem.EXPIRED if expired else TokenProblem.INVALID
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if _user_for_token(token) is None:  # used by a request that held the lock before
            return TokenProblem.INVALID
        if user.is_staff or user.is_superuser or member_person(user) is None:
            return TokenProblem.INVALID
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    return user
