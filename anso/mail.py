"""Mail through the worker.

`send_after_commit` is the one way the site sends mail: once the write that causes the mail
commits, the mail is stored (`OutgoingMail`) and a task sends it. A mail server that is down or
answers "try again later" (4xx) is tried again with growing waits (settings.MAIL_RETRY_DELAYS);
a permanent refusal (5xx, an address the server rejects) marks the mail failed at once. The
Secretariat sees queued and failed mail in the admin and can send it again.
"""

import datetime
import email.policy
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone

from .models import OutgoingMail, OutgoingMailStatus
from .text import one_line

logger = logging.getLogger(__name__)

#: Lines up to the SMTP limit instead of 78, so that a plain-ASCII mail is sent as 7bit and a
#: long link stays on one line where the mail is printed (the console backend of local runs).
#: The SMTP backend passes its own policy and is not affected.
_READABLE_POLICY = email.policy.default.clone(max_line_length=998)


class _PlainTextEmail(EmailMessage):
    def message(self, *, policy=_READABLE_POLICY):
        return super().message(policy=policy)


def send_after_commit(*, subject: str, body: str, to: list[str]) -> None:
    """Send a plain-text mail once the current transaction commits (at once outside one)."""
    # Header values on one line: no stored value (a name typed into a form) can make a mail fail.
    recipients = [one_line(address) for address in to if address]
    if not recipients:
        return
    subject = one_line(subject)[:998]

    def store_and_enqueue():
        mail = OutgoingMail.objects.create(to=recipients, subject=subject, body=body)
        outgoing_mail_enqueue(mail=mail)

    # Robust: a queue that is down is logged and the mail stays queued for "send again"; the
    # committed registration or nomination is still answered with its normal page.
    transaction.on_commit(store_and_enqueue, robust=True)


def outgoing_mail_enqueue(*, mail: OutgoingMail, run_after: datetime.datetime | None = None):
    """Hand the mail to the worker, now or at `run_after` (where the queue can defer)."""
    from .tasks import send_mail

    if run_after is None:
        return send_mail.enqueue(mail.pk)
    if not default_task_backend.supports_defer:
        logger.warning("Mail %s stays queued: the task queue cannot defer a retry.", mail.pk)
        return None
    return send_mail.using(run_after=run_after).enqueue(mail.pk)


def outgoing_mail_send_again(*, mails) -> int:
    """Queue failed (or stuck) mail again, with a fresh set of attempts."""
    count = 0
    for mail in mails:
        if mail.status == OutgoingMailStatus.SENT:
            continue
        mail.status = OutgoingMailStatus.QUEUED
        mail.attempts = 0
        mail.next_attempt_at = None
        mail.save(update_fields=["status", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda mail=mail: outgoing_mail_enqueue(mail=mail))
        count += 1
    return count


def _is_temporary(error: Exception) -> bool:
    """4xx answers, dropped connections and servers that do not answer are worth a retry;
    5xx answers and malformed messages are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # includes SMTPServerDisconnected, refused, timeouts


def outgoing_mail_send(*, mail_id: int) -> str:
    """Send one stored mail (the worker's side). Returns the mail's status afterwards."""
    with transaction.atomic():
        # Locked while sending: two workers never send the same mail.
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            return "missing"
        if mail.status != OutgoingMailStatus.QUEUED:
            return mail.status
        mail.attempts += 1
        try:
            _PlainTextEmail(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=mail.to,
            ).send()
        except Exception as error:  # any failure is recorded on the mail, never lost
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            delays = settings.MAIL_RETRY_DELAYS
            if _is_temporary(error) and mail.attempts <= len(delays):
                mail.next_attempt_at = timezone.now() + datetime.timedelta(
                    seconds=delays[mail.attempts - 1]
                )
                run_after = mail.next_attempt_at
                transaction.on_commit(
                    lambda: outgoing_mail_enqueue(mail=mail, run_after=run_after), robust=True
                )
                logger.warning("Mail %s not sent, will retry: %s", mail.pk, mail.last_error)
            else:
                mail.status = OutgoingMailStatus.FAILED
                mail.next_attempt_at = None
                logger.error("Mail %s failed: %s", mail.pk, mail.last_error)
        else:
            mail.status = OutgoingMailStatus.SENT
            mail.sent_at = timezone.now()
            mail.next_attempt_at = None
        mail.save()
        return mail.status
