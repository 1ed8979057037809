"""Visa invitation letters (docs/papers.md, "Visa letters"): the participant's request, the
Secretariat's approval or refusal, the letter made and mailed by the worker, and the erasure of
the passport details after the meeting.

The passport details never leave this module but in the letter: not in a log line, not in a
mail body (the letter goes as an attachment), not in an export. The letter's PDF is not kept
(`Paper.file` stays empty): it holds the passport details, which are erased after the meeting;
its SHA-256 and the paper's row stay, and its verification page keeps saying it was issued."""

import dataclasses
import datetime
import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from anso.background.tasks import background
from anso.mail.sending import Attachment, Mail, mails_queue

from ..models import Meeting
from .models import Paper, PaperKind, VisaRequest, VisaRequestStatus
from .render import render_pdf
from .services import _next_reference, _user, certificate_context, paper_language
from .signing import paper_sign

logger = logging.getLogger(__name__)

VISA_LETTER_TEMPLATE = "meetings/papers/visa_letter.html"

#: Days before the meeting's start a stay may begin, and after its end it may last.
STAY_MARGIN_DAYS = 14


@dataclasses.dataclass(frozen=True)
class VisaDetails:
    """What the registration form asks of someone who needs a letter for their visa."""

    passport_name: str
    nationality: str
    passport_number: str
    date_of_birth: datetime.date
    arrival: datetime.date
    departure: datetime.date
    consulate: str

    def __repr__(self):  # never the passport details, wherever an object is printed
        return "VisaDetails(…)"


def stay_bounds(meeting: Meeting) -> tuple[datetime.date, datetime.date]:
    """The first arrival and the last departure a letter may name for `meeting`."""
    margin = datetime.timedelta(days=STAY_MARGIN_DAYS)
    return meeting.start_date - margin, meeting.end_date + margin


def visa_request_submit(*, participation, details: VisaDetails) -> VisaRequest:
    """Record the participation's request (one per participation). A request not decided
    yet takes the new details; a decided one is left as it is."""
    with transaction.atomic():
        visa = VisaRequest.objects.select_for_update().filter(participation=participation).first()
        if visa is not None and visa.status != VisaRequestStatus.REQUESTED:
            return visa
        visa = visa or VisaRequest(participation=participation)
        for field in dataclasses.fields(details):
            value = getattr(details, field.name)
            if field.name == "date_of_birth":
                value = value.isoformat()
            setattr(visa, field.name, value)
        visa.save()
    logger.info("Visa letter requested: request %s", visa.pk)
    return visa


def _letter_paper_issue(visa: VisaRequest, *, by: AbstractBaseUser | None) -> Paper:
    """A new paper (reference number) for the request's letter; in the caller's transaction,
    which this locks the meeting's row in (the reference numbers are counted per meeting)."""
    participation = visa.participation
    meeting = (
        Meeting.objects.select_for_update().select_related("body").get(pk=participation.meeting_id)
    )
    paper = Paper(
        kind=PaperKind.VISA_LETTER,
        reference=_next_reference(meeting=meeting, kind=PaperKind.VISA_LETTER),
        meeting=meeting,
        participation=participation,
        language=paper_language(participation),
        issued_at=timezone.now(),
        issued_by=_user(by),
    )
    paper._history_user = _user(by)
    paper._change_reason = _("issued")
    paper.save()
    return paper


def _ref(paper: Paper) -> dict[str, str]:
    return {"reference": paper.reference}


def _history_record(visa: VisaRequest, by: AbstractBaseUser | None, message: str) -> None:
    """A line in the request's history (its admin page's "History"), with who and when. The
    request keeps no history table of its own: one would copy the passport details, which the
    erasure must find in one place only."""
    user = _user(by)
    if user is None:
        return
    LogEntry.objects.log_actions(
        user.pk, [visa], CHANGE, change_message=message, single_object=True
    )


class VisaDecisionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class VisaApproved:
    approved: list[VisaRequest]
    skipped: list[VisaRequest]


def visa_requests_approve(
    *, requests: Iterable[VisaRequest], by: AbstractBaseUser | None
) -> VisaApproved:
    """Approve the requests still to be decided: each gets its letter's `Paper` (a reference
    number "…-V-0001") at once, and the worker makes the letter and mails it
    (`visa_letter_send`) once the approval commits. Decided or erased requests are skipped."""
    approved, skipped = [], []
    for visa in requests:
        with transaction.atomic():
            visa = VisaRequest.objects.select_for_update().get(pk=visa.pk)
            if visa.status != VisaRequestStatus.REQUESTED or visa.erased_at:
                skipped.append(visa)
                continue
            paper = _letter_paper_issue(visa, by=by)
            visa.status = VisaRequestStatus.APPROVED
            visa.decided_at = paper.issued_at
            visa.decided_by = _user(by)
            visa.paper = paper
            visa.save(update_fields=["status", "decided_at", "decided_by", "paper"])
            _history_record(visa, by, _("Approved: letter %(reference)s") % _ref(paper))
            visa_id = visa.pk
            transaction.on_commit(lambda visa_id=visa_id: visa_letter_send.enqueue(visa_id))
        approved.append(visa)
    logger.info("Visa letters approved: %d, skipped: %d", len(approved), len(skipped))
    return VisaApproved(approved=approved, skipped=skipped)


def visa_request_refuse(
    *, visa: VisaRequest, by: AbstractBaseUser | None, reason: str
) -> VisaRequest:
    """Refuse a request still to be decided, saying why (the participant is not mailed:
    the Secretariat writes to them as it sees fit)."""
    reason = reason.strip()
    if not reason:
        raise VisaDecisionRefused(_("Say why the request is refused."))
    with transaction.atomic():
        visa = VisaRequest.objects.select_for_update().get(pk=visa.pk)
        if visa.status != VisaRequestStatus.REQUESTED:
            raise VisaDecisionRefused(_("This request was decided already."))
        visa.status = VisaRequestStatus.REFUSED
        visa.refusal_reason = reason
        visa.decided_at = timezone.now()
        visa.decided_by = _user(by)
        visa.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
        _history_record(visa, by, _("Refused"))
    return visa


def visa_letter_send_again(*, visa: VisaRequest, by: AbstractBaseUser | None) -> Paper:
    """Make an approved request's letter again and mail it (the worker, `visa_letter_send`),
    while the passport details are kept. The letter keeps its paper and reference number (the
    paper stands: the new letter is the same paper, made again); a revoked paper stays revoked
    and the letter gets a new one. Recorded in the request's history. Refused, with the reason,
    for a request not approved or whose details were erased."""
    with transaction.atomic():
        # Only the request's row is locked (a paper may be absent: no outer join FOR UPDATE).
        visa = (
            VisaRequest.objects.select_for_update(of=("self",))
            .select_related("paper", "participation")
            .get(pk=visa.pk)
        )
        if visa.status != VisaRequestStatus.APPROVED:
            raise VisaDecisionRefused(_("Only an approved request's letter can be sent again."))
        if visa.erased_at:
            raise VisaDecisionRefused(
                _(
                    "The passport details were erased after the meeting: the letter cannot "
                    "be made again."
                )
            )
        paper = visa.paper
        if paper is None or paper.is_revoked:
            paper = _letter_paper_issue(visa, by=by)
            visa.paper = paper
            visa.save(update_fields=["paper"])
            message = _(
                "Letter sent again with a new paper, %(reference)s (the previous one was revoked)"
            )
        else:
            message = _("Letter sent again: %(reference)s")
        _history_record(visa, by, message % _ref(paper))
        visa_id = visa.pk
        transaction.on_commit(lambda: visa_letter_send.enqueue(visa_id))
    logger.info("Visa letter %s to be sent again: request %s", paper.reference, visa_id)
    return paper


def visa_letter_pdf(visa: VisaRequest) -> bytes:
    """The signed letter of an approved request, made from its details (which must not be
    erased)."""
    paper = visa.paper
    participation = visa.participation
    with translation.override(paper.language):
        context = certificate_context(paper=paper, participation=participation)
        context["visa"] = visa
        context["nationality"] = str(countries.name(visa.nationality) or visa.nationality)
    pdf = render_pdf(VISA_LETTER_TEMPLATE, context, language=paper.language)
    return paper_sign(pdf, reason=str(PaperKind.VISA_LETTER.label))


@background
def visa_letter_send(visa_id: int) -> bool:
    """The worker's task: make the approved request's letter and mail it to the participant
    as an attachment. The PDF is not stored; its SHA-256 is recorded on the paper."""
    visa = (
        VisaRequest.objects.select_related(
            "paper", "participation__person", "participation__meeting__body"
        )
        .filter(pk=visa_id, status=VisaRequestStatus.APPROVED, erased_at__isnull=True)
        .first()
    )
    if visa is None or visa.paper is None or visa.paper.is_revoked:
        return False
    pdf = visa_letter_pdf(visa)
    paper = visa.paper
    person = visa.participation.person
    with translation.override(paper.language):
        mail = Mail(
            to=[person.email],
            subject=_("Your letter of invitation: %(meeting)s")
            % {"meeting": visa.participation.meeting.title},
            body=_(
                "Dear participant,\n\nYour letter of invitation for your visa is attached "
                "to this message (%(reference)s).\n\nThe ANSO Secretariat"
            )
            % {"reference": paper.reference},
            attachments=(Attachment(paper.filename, pdf, "application/pdf"),),
        )
    with transaction.atomic():
        Paper.objects.filter(pk=paper.pk).update(sha256=hashlib.sha256(pdf).hexdigest())
        mails_queue([mail])
    logger.info("Visa letter %s made and queued for mail", paper.reference)
    return True


def visa_data_erase(*, now: datetime.datetime | None = None) -> int:
    """Blank the passport details of the requests whose meeting ended more than
    `VISA_DATA_RETENTION_DAYS` days ago (the upkeep's chore); `erased_at` records it. The
    requests and their papers stay. Returns how many were erased."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - datetime.timedelta(days=settings.VISA_DATA_RETENTION_DAYS)
    with transaction.atomic():  # the upkeep opens one; a direct call needs its own
        ids = list(
            VisaRequest.objects.unerased()
            .filter(participation__meeting__end_date__lt=cutoff)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        erased = VisaRequest.objects.filter(pk__in=ids).update(
            passport_name="",
            nationality="",
            passport_number="",
            date_of_birth="",
            consulate="",
            erased_at=now,
        )
    if erased:
        logger.info("Visa requests' passport details erased: %d", erased)
    return erased


def visa_data_rotate() -> int:
    """Write every request's passport details again with the newest key (the first of
    `VISA_DATA_KEYS`), after a new key was put first. Returns how many rows were written."""
    count = 0
    for visa in VisaRequest.objects.unerased().iterator():
        visa.save(
            update_fields=[
                "passport_name",
                "nationality",
                "passport_number",
                "date_of_birth",
                "consulate",
            ]
        )
        count += 1
    return count
