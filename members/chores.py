"""The upkeep's chores of members (anso/background/upkeep.py): sign-in links past their validity are
taken out of the outbox's copies of the mails that carried them; nominations never confirmed
are deleted after their days."""

import datetime
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anso.background.upkeep import chore_register
from anso.models import OutgoingMail, OutgoingMailStatus

from .personal_data.services import nominations_unconfirmed_delete

#: How far back the chore looks: links older than this were scrubbed by earlier runs (or
#: their mail's text is deleted after MAIL_BODY_DAYS).
LOOK_BACK = datetime.timedelta(days=7)


@transaction.atomic
def sign_in_links_scrub(*, now: datetime.datetime | None = None) -> int:
    """Take the token out of the sign-in links (django-sesame) in the outbox's copies of mails
    sent more than SESAME_MAX_AGE ago: the links work no more, and a copy of the outbox holds
    no credential. The rest of the mail stays readable. Returns how many mails it changed. In a
    transaction of its own (its row locks need one on PostgreSQL, called outside the upkeep
    too)."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.SESAME_MAX_AGE)
    parameter = f"{settings.SESAME_TOKEN_NAME}="
    token = re.compile(rf"{re.escape(parameter)}[^&\s\"'<>]*&?")
    mails = list(
        OutgoingMail.objects.select_for_update(skip_locked=True)
        .filter(created_at__lt=expired, created_at__gte=expired - LOOK_BACK)
        .exclude(status=OutgoingMailStatus.QUEUED)
        .filter(body__contains=parameter)
        .only("pk", "body", "html")
    )
    for mail in mails:
        mail.body = token.sub("", mail.body)
        mail.html = token.sub("", mail.html)
    OutgoingMail.objects.bulk_update(mails, ["body", "html"])
    return len(mails)


chore_register("members.sign_in_links_scrub", sign_in_links_scrub)

# Nominations never confirmed, NOMINATION_UNCONFIRMED_DAYS after they were submitted
# (docs/personal-data.md).
chore_register("members.nominations_unconfirmed_delete", nominations_unconfirmed_delete)
