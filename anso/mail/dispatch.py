"""The worker's side of mail: one dispatcher task sends the queued mail.

Why a dispatcher and not a task per mail: 5,000 announcements queued at once would be 5,000
tasks, each re-deferred every minute while the rate is used up. Instead, queuing (one mail or
thousands) enqueues one `dispatch_mail` task. A run:

1. takes a share of the rate (`settings.MAIL_RATE_PER_MINUTE`) from a counter in the shared
   "ratelimit" cache (Redis, or the database cache), so every worker process on every machine
   counts against the same limit (anso/security/ratelimit.py `rate_take`);
2. locks that many due mails, individual mail before bulk mail, with
   `select_for_update(skip_locked=True)`: two runs at once never send the same mail, and never
   wait for each other;
3. sends them on one SMTP connection, records each result, and commits;
4. repeats until nothing is due, the rate is used up or its time (`MAIL_DISPATCH_SECONDS`) is
   over, and then enqueues itself: at once (time over: other tasks get the worker meanwhile),
   at the next rate window, or at the next retry's time. A cache key per planned time keeps
   this to one waiting run per time, however many runs ended. A planned time is a whole
   second, rounded up (RQ rounds down: a run before the mail's time would send nothing), and
   the planned run frees its key when it starts, so that a run the queue's clock started
   early plans the next one again: mail waiting for its time always has a run planned.

Failures: a mail server that does not answer, or answers "try again later" (4xx), leaves the
mail queued with its next attempt after the next wait of `settings.MAIL_RETRY_DELAYS`; a server
that cannot be reached ends the run (the rest waits too, nothing is lost). A permanent refusal
(5xx) of every recipient fails the mail. When the server refuses some recipients only (Django's
SMTP backend ignores this), the refused addresses and the answer are recorded on the mail,
`mail_refused` is sent for the permanent ones, and the temporary ones are tried again
alone.
"""

import contextlib
import datetime
import email.policy
import logging
import math
import smtplib
import time
from email.utils import make_msgid

import django.dispatch
from django.conf import settings
from django.core.cache import caches
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.tasks import default_task_backend
from django.utils import timezone

from anso.background.tasks import background
from anso.models import OutgoingMail, OutgoingMailStatus
from anso.security.encryption import decrypt_bytes
from anso.security.ratelimit import rate_give_back, rate_take

logger = logging.getLogger(__name__)

#: Sent after the commit that records a refusal, with `addresses` (the addresses the server
#: refused for good, as sent: "a@example.org"), `reply` (the server's answer) and `mail`.
#: The apps connect to it as `anso.mail.sending.mail_refused`.
mail_refused = django.dispatch.Signal()

RATE_SCOPE = "mail"
RATE_PERIOD = 60
#: Mails sent in one transaction and on one connection before the next share of the rate.
BATCH_SIZE = 50

#: Lines up to the SMTP limit instead of 78, so that a plain-ASCII mail is sent as 7bit and a
#: long link stays on one line where the mail is printed (the console backend of local runs).
#: The SMTP backend passes its own policy and is not affected.
_READABLE_POLICY = email.policy.default.clone(max_line_length=998)


class _Message(EmailMultiAlternatives):
    #: The addresses this attempt sends to (the envelope), when not every recipient.
    envelope: list[str] | None = None

    def recipients(self):
        return self.envelope or super().recipients()

    def message(self, *, policy=_READABLE_POLICY):
        return super().message(policy=policy)


class _RecordingConnection:
    """The SMTP connection of Django's backend, keeping what `sendmail` returns: the
    recipients the server refused while it accepted others (the backend drops it)."""

    def __init__(self, connection):
        self._connection = connection
        self.refused: dict = {}

    def sendmail(self, *args, **kwargs):
        self.refused = self._connection.sendmail(*args, **kwargs) or {}
        return self.refused

    def __getattr__(self, name):
        return getattr(self._connection, name)


def _planned_key(stamp: int) -> str:
    return f"mail:dispatch-at:{stamp}"


def dispatch_enqueue(*, run_after: datetime.datetime | None = None):
    """Enqueue a dispatcher run, now or at `run_after` (one waiting run per planned time)."""
    if run_after is None:
        return dispatch_mail.enqueue()
    if not default_task_backend.supports_defer:
        logger.warning("Queued mail waits: the task queue cannot defer the next mail run.")
        return None
    # The next whole second: RQ keeps a planned time to the second, rounded down, and a run
    # started before the mail it was planned for is due would find nothing to send.
    stamp = math.ceil(run_after.timestamp())
    wait = max(0, stamp - int(time.time()))
    if not caches["ratelimit"].add(_planned_key(stamp), 1, timeout=wait + 60):
        return None  # a run is already planned for then
    return dispatch_mail.using(
        run_after=datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
    ).enqueue(planned_for=stamp)


def message_id_new() -> str:
    return make_msgid(domain=settings.MAIL_DOMAIN)


def _message(mail: OutgoingMail) -> _Message:
    headers = {"Message-ID": mail.message_id, "Auto-Submitted": "auto-generated"}
    if mail.bulk:
        headers["Precedence"] = "bulk"
    headers.update(mail.headers)
    message = _Message(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        reply_to=[settings.MAIL_REPLY_TO],
        headers=headers,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for attachment in mail.attachments:
        message.attach(
            attachment["filename"],
            decrypt_bytes(attachment["content"]),
            attachment["mimetype"],
        )
    message.envelope = list(mail.pending_to) or None
    return message


def _is_temporary(error: Exception) -> bool:
    """4xx answers, dropped connections and servers that do not answer are worth a retry;
    5xx answers and malformed messages are not."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # includes SMTPServerDisconnected, refused, timeouts


def _answer(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"


def _retry_later(mail: OutgoingMail, now) -> bool:
    """Plan the next attempt if one is left."""
    delays = settings.MAIL_RETRY_DELAYS
    if mail.attempts <= len(delays):
        mail.next_attempt_at = now + datetime.timedelta(seconds=delays[mail.attempts - 1])
        return True
    return False


def _record_refused(mail: OutgoingMail, refused: dict, now, notices: list) -> None:
    """Some (or all) recipients refused: the permanent ones are recorded and announced, the
    temporary ones tried again alone while attempts are left."""
    permanent = {a: r for a, r in refused.items() if not 400 <= r[0] < 500}
    temporary = [a for a, r in refused.items() if 400 <= r[0] < 500]
    mail.refused_reply = "; ".join(f"{a}: {_answer(*r)}" for a, r in refused.items())[:2000]
    if permanent:
        mail.refused = sorted(set(mail.refused) | set(permanent))
        reply = "; ".join(sorted({_answer(*r) for r in permanent.values()}))
        notices.append((mail, sorted(permanent), reply))
    if temporary and _retry_later(mail, now):
        mail.pending_to = temporary
        mail.last_error = f"Refused for now: {mail.refused_reply}"[:2000]
        return
    mail.pending_to = []
    mail.next_attempt_at = None
    if mail.sent_at is not None:
        mail.status = OutgoingMailStatus.SENT
    else:
        mail.status = OutgoingMailStatus.FAILED
        mail.last_error = f"SMTPRecipientsRefused: {mail.refused_reply}"[:2000]
        logger.error("Mail %s failed: %s", mail.pk, mail.last_error)


def _record_failure(mail: OutgoingMail, error: Exception, now) -> None:
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _is_temporary(error) and _retry_later(mail, now):
        logger.warning("Mail %s not sent, will retry: %s", mail.pk, mail.last_error)
        return
    mail.status = OutgoingMailStatus.FAILED
    mail.next_attempt_at = None
    logger.error("Mail %s failed: %s", mail.pk, mail.last_error)


def _send_batch(mails: list[OutgoingMail], notices: list) -> bool:
    """Send the mails on one connection and record each result on it (not saved). Returns
    False when the server could not be reached (the run stops)."""
    backend = mailers.default
    now = timezone.now()
    try:
        backend.open()
    except Exception as error:  # the server is down: every mail of the batch waits
        for mail in mails:
            mail.attempts += 1
            _record_failure(mail, error, now)
        return False
    recorder = None
    if getattr(backend, "connection", None) is not None:
        recorder = backend.connection = _RecordingConnection(backend.connection)
    try:
        for index, mail in enumerate(mails):
            mail.attempts += 1
            if recorder is not None:
                recorder.refused = {}
            fresh_id = not mail.message_id  # stored before Message-IDs were written
            try:
                if fresh_id:
                    mail.message_id = message_id_new()
                backend.send_messages([_message(mail)])
            except smtplib.SMTPRecipientsRefused as error:
                _record_refused(mail, error.recipients, now, notices)
            except Exception as error:  # any failure is recorded on the mail, never lost
                _record_failure(mail, error, now)
                if isinstance(error, OSError):  # the connection is gone: stop here
                    for untried in mails[index + 1 :]:
                        untried.next_attempt_at = mail.next_attempt_at or now
                    return False
            else:
                mail.sent_at = mail.sent_at or timezone.now()
                if recorder is not None and recorder.refused:
                    _record_refused(mail, recorder.refused, now, notices)
                else:
                    mail._sent_plainly = not fresh_id  # nothing else to record on it
                    mail.status = OutgoingMailStatus.SENT
                    mail.next_attempt_at = None
                    mail.pending_to = []
        return True
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            backend.close()


_SAVED_FIELDS = [
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "sent_at",
    "message_id",
    "pending_to",
    "refused",
    "refused_reply",
    "attachments",
]


def _save(mails: list[OutgoingMail]) -> None:
    """Record the batch: the mails sent as they are (most of them) with one UPDATE, the others
    with their own values (a bulk UPDATE of every field of 50 mails costs as much as sending
    them)."""
    plain = [mail for mail in mails if getattr(mail, "_sent_plainly", False)]
    if plain:
        sent_at = max(mail.sent_at for mail in plain)
        for mail in plain:
            mail.sent_at = sent_at
        OutgoingMail.objects.filter(pk__in=[mail.pk for mail in plain]).update(
            status=OutgoingMailStatus.SENT,
            attempts=F("attempts") + 1,
            sent_at=sent_at,
            next_attempt_at=None,
            pending_to=[],
            attachments=[],
        )
    others = [mail for mail in mails if not getattr(mail, "_sent_plainly", False)]
    if others:
        for mail in others:
            if mail.status == OutgoingMailStatus.SENT:
                mail.attachments = []
        OutgoingMail.objects.bulk_update(others, _SAVED_FIELDS)


def _due(now):
    return (
        OutgoingMail.objects.filter(status=OutgoingMailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("bulk", "next_attempt_at", "pk")
    )


def _announce(notices: list) -> None:
    for mail, addresses, reply in notices:
        for receiver, result in mail_refused.send_robust(
            sender=OutgoingMail, addresses=addresses, reply=reply, mail=mail
        ):
            if isinstance(result, Exception):
                logger.error("Refusal of mail %s not recorded by %s: %r", mail.pk, receiver, result)


def mail_dispatch(*, planned_for: int | None = None) -> int:
    """One dispatcher run (the worker's task). Returns how many mails it sent.

    `planned_for`: the second this run was planned for, if it was. Its key is released first:
    a run started early by the queue's clock, which finds the mail not yet due, plans the run
    for that second again instead of finding it taken by itself."""
    if planned_for is not None:
        caches["ratelimit"].delete(_planned_key(planned_for))
    deadline = time.monotonic() + getattr(settings, "MAIL_DISPATCH_SECONDS", 60)
    rate = settings.MAIL_RATE_PER_MINUTE
    sent = 0
    while True:
        wanted = min(BATCH_SIZE, rate)
        taken = rate_take(scope=RATE_SCOPE, wanted=wanted, limit=rate, period=RATE_PERIOD)
        if taken.granted == 0:  # the rate is used up: on in the next window
            window_end = (taken.window + 1) * RATE_PERIOD
            _plan_next(at=datetime.datetime.fromtimestamp(window_end, tz=datetime.UTC))
            return sent
        notices: list = []
        reachable = True
        with transaction.atomic():
            checked_at = timezone.now()
            # Locked while sending: two runs never send the same mail, nor wait for each other.
            mails = list(_due(checked_at).select_for_update(skip_locked=True)[: taken.granted])
            if mails:
                reachable = _send_batch(mails, notices)
                _save(mails)
                transaction.on_commit(lambda notices=notices: _announce(notices))
        # Outside the transaction: the counter's row (database cache) is not held while sending.
        rate_give_back(scope=RATE_SCOPE, taken=taken, count=taken.granted - len(mails))
        if not mails:
            break
        sent += sum(mail.status == OutgoingMailStatus.SENT for mail in mails)
        if not reachable:
            break
        if time.monotonic() > deadline:  # let other tasks have the worker, then go on
            dispatch_enqueue()
            return sent
    _plan_next(after=checked_at)
    return sent


def _plan_next(
    *, at: datetime.datetime | None = None, after: datetime.datetime | None = None
) -> None:
    """Enqueue the run that takes the next mail waiting for its time (a retry): the first
    mail not yet due when this run last looked (`after`). A mail due since then is not
    missed: it is after that time too."""
    if at is None:
        at = (
            OutgoingMail.objects.filter(status=OutgoingMailStatus.QUEUED, next_attempt_at__gt=after)
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if at is None:
            return
    dispatch_enqueue(run_after=at)


@background
def dispatch_mail(planned_for: int | None = None) -> int:
    """The dispatcher's task: one run of `mail_dispatch`."""
    return mail_dispatch(planned_for=planned_for)


# ---------------------------------------------------------------------------------------------
# The upkeep's chores (registered in anso/chores.py)

#: Due mail waits this long for the run its enqueue planned before the upkeep plans one.
DUE_GRACE_SECONDS = 60


def mail_due_dispatch(*, now: datetime.datetime | None = None) -> int:
    """The backstop for lost dispatcher runs: mail due for a while with no run that took it
    (a queue that was down at commit, a run whose plan was lost) gets a run now, and the next
    retry gets its planned run. Two runs at once are harmless (`mail_dispatch` locks what it
    sends). Returns how many mails were waiting."""
    now = now or timezone.now()
    waiting = _due(now - datetime.timedelta(seconds=DUE_GRACE_SECONDS)).count()
    if waiting:
        transaction.on_commit(dispatch_enqueue, robust=True)
    transaction.on_commit(lambda: _plan_next(after=now), robust=True)
    return waiting


def mail_bodies_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete the text and HTML parts of mail sent more than `MAIL_BODY_DAYS` days ago (with
    whatever links they carried); the headers stay: who, subject, when, status. The
    attachments of a mail never sent (failed) go too once it is that old: a sent mail lost
    them when it was sent. Returns how many mails it emptied."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.MAIL_BODY_DAYS)
    emptied = (
        OutgoingMail.objects.filter(status=OutgoingMailStatus.SENT, sent_at__lt=cutoff)
        .exclude(body="", html="", attachments=[])
        .update(body="", html="", attachments=[])
    )
    OutgoingMail.objects.filter(status=OutgoingMailStatus.FAILED, created_at__lt=cutoff).exclude(
        attachments=[]
    ).update(attachments=[])
    return emptied
