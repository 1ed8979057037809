"""Mail through the worker: what the rest of the site calls.

A mail is never sent inside a web request. It is stored (`OutgoingMail`) and a background task,
the dispatcher (anso/mail/dispatch.py), sends it:

- `send_after_commit(...)`: one mail, stored once the write that causes it commits (a
  registration's confirmation);
- `mails_queue([Mail(...), ...])`: many mails at once (announcements), stored with one query
  however many, in the caller's transaction, and handed to the worker once it commits.

Every stored mail has its Message-ID from the start (a retry sends the same one). The
dispatcher sends due mails within `settings.MAIL_RATE_PER_MINUTE`, shared by every worker,
retries temporary failures with growing waits (`settings.MAIL_RETRY_DELAYS`) and records the
recipients a server refuses; `mail_refused` tells the apps that keep addresses (the signal
carries addresses only). The Secretariat sees every mail in the admin and can send it again.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from anso.mail.dispatch import dispatch_enqueue, message_id_new
from anso.mail.dispatch import (
    mail_refused as mail_refused,  # for the apps: anso.mail.sending.mail_refused
)
from anso.models import OutgoingMail, OutgoingMailStatus
from anso.security.encryption import encrypt_bytes, rotate
from anso.text.hygiene import has_control_characters, one_line


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail. Kept with the stored mail until it is sent, then deleted
    (`dispatch._save`): a letter with personal details does not stay in the mail's row."""

    filename: str
    content: bytes
    mimetype: str

    def __repr__(self):
        return f"Attachment({self.filename!r}, {len(self.content)} bytes)"


@dataclass(frozen=True)
class Mail:
    """One mail to queue. `to` holds addresses ("Name <a@example.org>" allowed); `body` is the
    text/plain part, `html` an optional text/html alternative; `headers` extra one-line
    headers (List-Unsubscribe, ...); `bulk` for mass mail (sent after individual mail, marked
    "Precedence: bulk")."""

    to: list[str]
    subject: str
    body: str
    html: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    bulk: bool = False
    attachments: tuple[Attachment, ...] = ()


_HEADER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
#: Headers the site writes itself: an extra header may not replace them.
_RESERVED_HEADERS = {
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "reply-to",
    "message-id",
    "date",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "sender",
    "return-path",
}


def mail_headers_clean(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Extra headers checked: a name of letters, digits and hyphens, not one the site writes,
    and a one-line value. Raises ValueError otherwise (the caller's mistake, not the reader's)."""
    cleaned = {}
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.match(name) or name.lower() in _RESERVED_HEADERS:
            raise ValueError(f"Mail header {name!r} cannot be set.")
        if not isinstance(value, str) or has_control_characters(value) or len(value) > 998:
            raise ValueError(f"Mail header {name!r} must be one line of text.")
        cleaned[name] = value
    return cleaned


def _outgoing(mail: Mail, now) -> OutgoingMail:
    # Header values on one line: no stored value (a name typed into a form) can make a mail fail.
    return OutgoingMail(
        to=[one_line(address) for address in mail.to if address and one_line(address)],
        subject=one_line(mail.subject)[:998],
        body=mail.body,
        html=mail.html,
        headers=mail_headers_clean(mail.headers),
        bulk=mail.bulk,
        attachments=[
            {
                "filename": one_line(attachment.filename),
                "mimetype": attachment.mimetype,
                # Encrypted at rest: a visa letter holds passport details.
                "content": encrypt_bytes(attachment.content),
            }
            for attachment in mail.attachments
        ],
        message_id=message_id_new(),
        next_attempt_at=now,
    )


def mails_queue(mails: Iterable[Mail]) -> list[OutgoingMail]:
    """Store many mails at once (one INSERT) and hand them to the worker: once the current
    transaction commits, or at once outside one. Mails without a recipient are skipped."""
    stored = _store(mails)
    if stored:
        # Robust: a queue that is down is logged and the mails stay queued; the next
        # dispatcher run (any later mail, or "send again") takes them.
        transaction.on_commit(mail_dispatch_enqueue, robust=True)
    return stored


def _store(mails: Iterable[Mail]) -> list[OutgoingMail]:
    now = timezone.now()
    rows = [row for row in (_outgoing(mail, now) for mail in mails) if row.to]
    return OutgoingMail.objects.bulk_create(rows) if rows else []


def send_after_commit(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    headers: Mapping[str, str] | None = None,
) -> None:
    """Send one mail once the current transaction commits (at once outside one); nothing is
    stored if it rolls back."""
    mail = Mail(to=to, subject=subject, body=body, html=html, headers=headers or {})
    mail_headers_clean(mail.headers)  # a mistake shows here, not after the commit
    if not any(one_line(address) for address in to if address):
        return

    # Robust: a queue that is down is logged and the mail stays queued for "send again"; the
    # committed registration or nomination is still answered with its normal page.
    def store_and_enqueue():  # after the commit already: the worker gets it at once
        if _store([mail]):
            mail_dispatch_enqueue()

    transaction.on_commit(store_and_enqueue, robust=True)


def mail_dispatch_enqueue(*, run_after=None):
    """Start a dispatcher run now, or at `run_after` (see anso/mail/dispatch.py)."""
    return dispatch_enqueue(run_after=run_after)


def outgoing_mail_send_again(*, mails) -> int:
    """Queue failed (or stuck) mail again, to every recipient, with a fresh set of attempts."""
    count = 0
    now = timezone.now()
    for mail in mails:
        if mail.status == OutgoingMailStatus.SENT:
            continue
        mail.status = OutgoingMailStatus.QUEUED
        mail.attempts = 0
        mail.next_attempt_at = now
        mail.pending_to = []
        if not mail.message_id:
            mail.message_id = message_id_new()
        mail.save(
            update_fields=["status", "attempts", "next_attempt_at", "pending_to", "message_id"]
        )
        count += 1
    if count:
        transaction.on_commit(mail_dispatch_enqueue, robust=True)
    return count


def mail_attachments_rotate() -> int:
    """Encrypt the attachments of the mails that still hold them (waiting, or failed and not
    yet cleared) again with the newest key, the first of `VISA_DATA_KEYS` (anso/security/
    encryption.py; `manage.py visa_data_rotate` calls it). Each mail is read again under its
    row lock, which the dispatcher holds while it sends: a mail sent meanwhile has no
    attachments left, and none come back. Returns how many mails were written."""
    count = 0
    for pk in OutgoingMail.objects.exclude(attachments=[]).values_list("pk", flat=True):
        with transaction.atomic():
            mail = OutgoingMail.objects.select_for_update().filter(pk=pk).first()
            if mail is None or not mail.attachments:
                continue
            attachments = [
                {**attachment, "content": rotate(attachment["content"])}
                for attachment in mail.attachments
            ]
            OutgoingMail.objects.filter(pk=pk).update(attachments=attachments)
        count += 1
    return count
