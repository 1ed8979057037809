"""The papers' writes: issuing (render, sign, keep the PDF, record it) and revoking. Both run
in a transaction and write the paper's history with who did it (docs/papers.md)."""

import dataclasses
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anso.links import absolute_url
from members.models import BodyKind

from ..attendance.models import ParticipationStatus
from ..models import Meeting, Participation
from .models import KIND_LETTERS, Letterhead, Paper, PaperKind
from .render import image_data_uri, qr_code_data_uri, render_pdf
from .signing import paper_sign

#: A body's letters in a reference number ("WG" in "ANSO-2019-WG1-C-0007").
BODY_LETTERS = {
    BodyKind.GENERAL_ASSEMBLY: "GA",
    BodyKind.GOVERNING_BOARD: "GB",
    BodyKind.SECRETARIAT: "SEC",
    BodyKind.WORKING_GROUP: "WG",
}

CERTIFICATE_TEMPLATE = "meetings/papers/certificate.html"


class PaperRefused(Exception):
    """A paper that cannot be issued or revoked; `message` is for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _user(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def paper_reference(*, meeting: Meeting, kind: str, sequence: int) -> str:
    """The reference number of the `sequence`th paper of `kind` for `meeting`:
    "ANSO-2019-WG1-C-0007". The one place it is made."""
    body = BODY_LETTERS.get(meeting.body.kind, "M")
    return (
        f"ANSO-{meeting.start_date:%Y}-{body}{meeting.number}-{KIND_LETTERS[kind]}-{sequence:04d}"
    )


def _next_reference(*, meeting: Meeting, kind: str) -> str:
    """The next reference number of `kind` for `meeting`; the caller holds the meeting's row
    lock, so that two papers issued at once do not take the same number (the unique
    constraint is the backstop). Revoked papers keep their numbers."""
    issued = Paper.objects.filter(meeting=meeting, kind=kind).count()
    return paper_reference(meeting=meeting, kind=kind, sequence=issued + 1)


def paper_language(participation: Participation) -> str:
    """The participant's language: their own, else their registration's, else English."""
    return participation.person.language or participation.language or settings.LANGUAGE_CODE


def certificate_context(*, paper: Paper, participation: Participation) -> dict:
    """What the certificate's template shows; the addresses in the active language."""
    letterhead = Letterhead.current()
    verify_path = paper.get_absolute_url()
    return {
        "paper": paper,
        "participation": participation,
        "person": participation.person,
        "meeting": participation.meeting,
        "letterhead": letterhead,
        "logo": image_data_uri(letterhead.logo),
        "signature": image_data_uri(letterhead.signature),
        "qr_code": qr_code_data_uri(verify_path),
        "verify_url": absolute_url(verify_path),
        "issued_on": timezone.localdate(paper.issued_at),
    }


def certificate_issue(*, participation: Participation, by: AbstractBaseUser | None) -> Paper:
    """The participation's certificate of attendance: the standing one when it was issued
    before (the same file on every download), else a new one, rendered in the participant's
    language, signed and kept. `PaperRefused` when the participant did not attend."""
    if participation.status != ParticipationStatus.ATTENDED:
        raise PaperRefused(_("A certificate of attendance is issued to participants who attended."))
    existing = Paper.objects.certificates().standing().filter(participation=participation).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .select_related("body")
            .get(pk=participation.meeting_id)
        )
        existing = (
            Paper.objects.certificates().standing().filter(participation=participation).first()
        )
        if existing is not None:
            return existing
        paper = Paper(
            kind=PaperKind.CERTIFICATE,
            reference=_next_reference(meeting=meeting, kind=PaperKind.CERTIFICATE),
            meeting=meeting,
            participation=participation,
            language=paper_language(participation),
            issued_at=timezone.now(),
            issued_by=_user(by),
        )
        participation.meeting = meeting
        with translation.override(paper.language):
            context = certificate_context(paper=paper, participation=participation)
        pdf = render_pdf(CERTIFICATE_TEMPLATE, context, language=paper.language, archival=True)
        pdf = paper_sign(pdf, reason=str(PaperKind.CERTIFICATE.label))
        paper.sha256 = hashlib.sha256(pdf).hexdigest()
        paper.file.save(paper.filename, ContentFile(pdf), save=False)
        paper._history_user = _user(by)
        paper._change_reason = _("issued")
        paper.save()
    return paper


@dataclasses.dataclass(frozen=True)
class CertificatesIssued:
    """What `certificates_issue` did: papers issued now, those issued before, and the
    participations refused (not attended)."""

    issued: list[Paper]
    existing: list[Paper]
    refused: list[Participation]


def certificates_issue(
    *, participations: Iterable[Participation], by: AbstractBaseUser | None
) -> CertificatesIssued:
    """The certificates of attendance of several participations (the admin's action), each
    issued as `certificate_issue` does."""
    issued, existing, refused = [], [], []
    for participation in participations:
        had = Paper.objects.certificates().standing().filter(participation=participation).exists()
        try:
            paper = certificate_issue(participation=participation, by=by)
        except PaperRefused:
            refused.append(participation)
            continue
        (existing if had else issued).append(paper)
    return CertificatesIssued(issued=issued, existing=existing, refused=refused)


def paper_revoke(*, paper: Paper, by: AbstractBaseUser | None, reason: str) -> Paper:
    """Revoke `paper`: its verification page says so from now on, and its history records who
    revoked it and why. `PaperRefused` when it was revoked already or no reason is given."""
    reason = reason.strip()
    if not reason:
        raise PaperRefused(_("Say why the paper is revoked."))
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=paper.pk)
        if paper.is_revoked:
            raise PaperRefused(_("This paper was revoked already."))
        paper.revoked_at = timezone.now()
        paper.revoked_by = _user(by)
        paper.revocation_reason = reason
        paper._history_user = _user(by)
        paper._change_reason = _("revoked")
        paper.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return paper
