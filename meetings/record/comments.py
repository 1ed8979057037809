"""The members' comments on circulated minutes (docs/record.md, "Comments while circulated").

- The link: each member of the working group is mailed, when the minutes are circulated, a
  personal link to the comment page: the minutes' and the person's numbers, signed with the
  site's secret key under a salt of its own (`anso.security.signed_links`), so that it can be
  neither made up nor changed, and a link of another kind opens nothing here.
- Who is mailed, and who may comment: the working group's members (`commenters_on`): on the
  day the minutes are circulated for the mail, each with an address, in their mail language;
  on the day of each visit for the page and its comments, so that a person who left the
  working group since the mail is refused (403).
- The writes: a member's comment (`minutes_comment_add`), accepted while the minutes are
  circulated until `comments_until` (inclusive, in the site's time zone); the Secretariat's
  decision on it (`minutes_comment_decide`). Each keeps its history.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from anso.links import absolute_url
from anso.mail.sending import Mail, mails_queue
from anso.security.signed_links import LinkSigner
from anso.text.hygiene import one_line
from anso.text.languages import language_picker
from members.access import contact_positions_on
from members.models import Person, Position, Role

from ..invitations.selectors import mail_language
from .comment_models import CommentDecision, MinutesComment
from .models import Minutes, MinutesPart, MinutesState

COMMENT_LINK_SALT = "meetings.minutes-comments"
_LINKS = LinkSigner(salt=COMMENT_LINK_SALT)

#: The longest comment accepted, in characters.
COMMENT_MAX_LENGTH = 5000


class CommentRefused(Exception):
    """A comment or a decision refused; `message` is for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the personal link ------------------------------------------------------------------------


def comment_token(*, minutes: Minutes, person: Person) -> str:
    return _LINKS.sign(f"{minutes.pk}.{person.pk}")


def comment_path(*, minutes: Minutes, person: Person) -> str:
    """The path of the person's link, in the active language."""
    meeting = minutes.meeting
    return reverse(
        "meetings:minutes_comments",
        kwargs={
            "year": meeting.start_date.year,
            "slug": meeting.slug,
            "token": comment_token(minutes=minutes, person=person),
        },
    )


def commenter_from_token(
    *, token: str, minutes: Minutes, today: datetime.date | None = None
) -> Person | None:
    """The person a link was made for, or None for a tampered or foreign link, or a link made
    for other minutes. With `in_working_group`: whether they are a member of the working group
    `today` (`commenters_on`), in the same query."""
    signed = _LINKS.unsign(token)
    if signed is None:
        return None
    minutes_id, _sep, person_id = signed.value.partition(".")
    if minutes_id != str(minutes.pk) or not person_id.isdigit():
        return None
    today = today or timezone.localdate()
    return (
        Person.objects.select_related("organization")
        .annotate(in_working_group=Exists(_working_group_positions(today, OuterRef("pk"))))
        .filter(pk=int(person_id))
        .first()
    )


# --- who may comment --------------------------------------------------------------------------


def _working_group_positions(date: datetime.date, person) -> QuerySet[Position]:
    """The person's positions that make them a member of the working group on `date`."""
    return (
        Position.objects.working_group_members(date)
        .filter(person=person)
        .filter(~Q(role=Role.CONTACT_PERSON) | Q(pk__in=contact_positions_on(date).values("pk")))
    )


def commenters_on(date: datetime.date) -> QuerySet[Person]:
    """The working group's members on `date`, who are mailed the link and may comment: a
    working-group position held that day (`Position.objects.working_group_members`, listed
    publicly or not: a contact person, an expert, the chair, a member), a contact person's
    only while the organization that appointed them is a member that day (the members' access
    rule, `members.access.contact_positions_on`). One query when evaluated."""
    return Person.objects.filter(Exists(_working_group_positions(date, OuterRef("pk"))))


def is_commenter(*, person: Person, today: datetime.date | None = None) -> bool:
    """Whether `person` is a member of the working group `today` (`commenters_on`)."""
    return commenters_on(today or timezone.localdate()).filter(pk=person.pk).exists()


# --- the rule of when comments are taken ------------------------------------------------------


def comments_closed_reason(*, minutes: Minutes, today: datetime.date | None = None) -> str:
    """Why the minutes take no comments now, or "" while they do: circulated, and
    `comments_until` (when set) not past in the site's time zone."""
    today = today or timezone.localdate()
    if minutes.state == MinutesState.DRAFT:
        return _("These minutes are not circulated for comments.")
    if minutes.state == MinutesState.APPROVED:
        return _("These minutes are approved: comments are closed.")
    if minutes.comments_until is not None and today > minutes.comments_until:
        return _("Comments on these minutes closed on {date}.").format(
            date=minutes.comments_until.isoformat()
        )
    return ""


# --- reads ------------------------------------------------------------------------------------


def parts_with_own_comments(*, minutes: Minutes, person: Person) -> list[MinutesPart]:
    """The minutes' parts in order, as the page's language shows them (`shown_heading`,
    `shown_text`, each with its `_lang` where it is the English fallback), each with
    `own_comments`: the person's comments on it, oldest first. Two queries."""
    own = MinutesComment.objects.filter(person=person).order_by("created_at", "pk")
    parts = list(
        minutes.parts.select_related("agenda_item")
        .prefetch_related(Prefetch("comments", queryset=own, to_attr="own_comments"))
        .order_by("order", "pk")
    )
    shown = language_picker()
    for part in parts:
        item = part.agenda_item
        heading = (part.heading_en, part.heading_zh_hans)
        if not any(heading) and item is not None:
            heading = (item.title_en, item.title_zh_hans)
        part.shown_heading, part.shown_heading_lang = shown(heading)
        part.shown_text, part.shown_text_lang = shown((part.text_en, part.text_zh_hans))
    return parts


def parts_with_comments(*, minutes: Minutes) -> list[MinutesPart]:
    """The minutes' parts in order, each with `all_comments` (their authors and who decided),
    for the Secretariat. Two queries."""
    comments = MinutesComment.objects.select_related(
        "person", "person__organization", "decided_by"
    ).order_by("created_at", "pk")
    return list(
        minutes.parts.select_related("agenda_item")
        .prefetch_related(Prefetch("comments", queryset=comments, to_attr="all_comments"))
        .order_by("order", "pk")
    )


def members_to_mail(*, date: datetime.date) -> QuerySet[Person]:
    """The working group's members on `date` who have an address, each with `mail_language`."""
    return (
        commenters_on(date)
        .exclude(email="")
        .annotate(mail_language=mail_language())
        .order_by("family_name", "given_name", "pk")
    )


# --- writes -----------------------------------------------------------------------------------


def _comment_mail(*, minutes: Minutes, person: Person) -> Mail:
    with translation.override(getattr(person, "mail_language", "") or settings.LANGUAGE_CODE):
        context = {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "person": person,
            "link": absolute_url(comment_path(minutes=minutes, person=person)),
            "SITE_NAME": gettext(settings.SITE_NAME),
        }
        subject = one_line(render_to_string("meetings/email/minutes_comments_subject.txt", context))
        body = render_to_string("meetings/email/minutes_comments.txt", context)
    return Mail(to=[person.email], subject=subject, body=body)


def minutes_comment_links_mail(*, minutes: Minutes, people: Iterable[Person] | None = None) -> int:
    """Queue a mail to each member of the working group on the day the minutes were
    circulated (or to `people`) with their personal link; handed to the worker once the
    caller's transaction commits. Returns how many."""
    if people is None:
        people = members_to_mail(date=timezone.localdate(minutes.circulated_at))
    mails = [_comment_mail(minutes=minutes, person=person) for person in people]
    mails_queue(mails)
    return len(mails)


def minutes_comment_add(
    *, part: MinutesPart, person: Person, text: str, now: datetime.datetime | None = None
) -> MinutesComment:
    """Keep a member's comment on a part of circulated minutes, refused once comments are
    closed (checked on the minutes' locked row) or when `person` is no longer a member of the
    working group."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise CommentRefused(_("Write a comment first."))
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=part.minutes_id)
        closed = comments_closed_reason(minutes=minutes, today=timezone.localdate(now))
        if closed:
            raise CommentRefused(closed)
        if not is_commenter(person=person, today=timezone.localdate(now)):
            raise CommentRefused(
                _("Only the members of the working group may comment on these minutes.")
            )
        comment = MinutesComment(part=part, person=person, text=text, created_at=now)
        comment._change_reason = "commented through the personal link"
        comment.save()
        return comment


def minutes_comment_decide(
    *,
    comment: MinutesComment,
    decision: str,
    by: AbstractBaseUser | None,
    note: str | None = None,
) -> MinutesComment:
    """The Secretariat's decision on a comment: taken in, not taken in, or back to pending;
    `note` replaces the note when given."""
    if decision not in CommentDecision.values:
        raise CommentRefused(_("Unknown decision."))
    user = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        locked = MinutesComment.objects.select_for_update().get(pk=comment.pk)
        locked.decision = decision
        decided = decision != CommentDecision.PENDING
        locked.decided_at = timezone.now() if decided else None
        locked.decided_by = user if decided else None
        if note is not None:
            locked.note = note.strip()
        locked._history_user = user
        locked._change_reason = f"decided: {decision}"
        locked.save()
        return locked
