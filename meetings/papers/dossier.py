"""The meeting dossier (docs/papers.md): one numbered, signed PDF of a meeting's record: the
cover, the programme (sessions, chairs, agenda items, speakers), the attendance figures, the
participants who agreed to be listed, the decisions, the actions of the plan presented, and
the meeting's public documents with their SHA-256.

Every part is read by the rule that owns it: the figures by `attendance_summary` (the
meeting's public page and its control page), the participants by
`meeting_public_participants` (the public participant list), the documents by
`Document.objects.visible_to(Audience.PUBLIC)` with the SHA-256 each version recorded at its
upload. The build asks a fixed number of queries, whatever the number of participants,
agenda items or documents.

Each request issues a new dossier with the next number ("ANSO-2019-WG1-D-0002"): the record
may have changed since the last one (a decision added, a document published), and the cover
says the day it was made. An earlier dossier stands as the record of its day until the
Secretariat revokes it."""

import dataclasses
import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anso.links import absolute_url

from ..attendance.selectors import attendance_summary, meeting_public_participants
from ..documents.access import Audience
from ..documents.models import Document
from ..models import ActionStatus, AgendaItem, Meeting, Session, Speaker
from .models import Letterhead, Paper, PaperKind
from .render import image_data_uri, qr_code_data_uri, render_pdf
from .services import _next_reference, _user
from .sheets import page_of_pages_label
from .signing import paper_sign

DOSSIER_TEMPLATE = "meetings/papers/dossier.html"


@dataclasses.dataclass(frozen=True)
class DossierDocument:
    """A public document of the meeting as the dossier lists it: its latest version."""

    title: str
    kind: str
    version: int
    filename: str
    sha256: str


@dataclasses.dataclass(frozen=True)
class DossierAction:
    """An action of the plan presented at the meeting, and where it stands."""

    order: int
    title: str
    status: str


def dossier_sessions(*, meeting: Meeting) -> list[Session]:
    """The meeting's sessions in order, with their chairs, agenda items (and the action each
    presented) and speakers: three queries."""
    speakers = Speaker.objects.select_related("person").order_by("order", "pk")
    items = (
        AgendaItem.objects.select_related("action")
        .prefetch_related(Prefetch("speaker_set", queryset=speakers))
        .order_by("order", "pk")
    )
    return list(
        Session.objects.filter(meeting=meeting)
        .select_related("chair")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("order")
    )


def presented_actions(sessions: list[Session]) -> list[DossierAction]:
    """The actions of the plan presented or discussed at the sessions, each once, in plan
    order (as the meeting's page lists them)."""
    actions = {
        item.action.pk: item.action
        for session in sessions
        for item in session.items.all()
        if item.action_id is not None
    }
    statuses = dict(ActionStatus.choices)
    return [
        DossierAction(
            order=action.order,
            title=action.title,
            status=str(statuses.get(action.status, action.status)),
        )
        for action in sorted(actions.values(), key=lambda action: (action.order, action.title))
    ]


def public_documents(*, meeting: Meeting) -> list[DossierDocument]:
    """The meeting's documents the public may read, with the SHA-256 of their latest version
    (recorded at its upload): one query."""
    documents = (
        Document.objects.visible_to(Audience.PUBLIC)
        .filter(meeting=meeting, latest_version__isnull=False)
        .select_related("latest_version")
        .order_by("order", "pk")
    )
    return [
        DossierDocument(
            title=document.title,
            kind=document.get_kind_display(),
            version=document.latest_version.number,
            filename=document.latest_version.filename,
            sha256=document.latest_version.sha256,
        )
        for document in documents
    ]


def dossier_context(*, paper: Paper, meeting: Meeting) -> dict:
    """What the dossier's template shows, read in the active language."""
    letterhead = Letterhead.current()
    verify_path = paper.get_absolute_url()
    attendance = attendance_summary(meeting_id=meeting.pk)
    participants = (
        list(meeting_public_participants(meeting_id=meeting.pk)) if attendance.attended else []
    )
    sessions = dossier_sessions(meeting=meeting)
    before, between, after = page_of_pages_label()
    return {
        "paper": paper,
        "meeting": meeting,
        "letterhead": letterhead,
        "logo": image_data_uri(letterhead.logo),
        "signature": image_data_uri(letterhead.signature),
        "qr_code": qr_code_data_uri(verify_path),
        "verify_url": absolute_url(verify_path),
        "issued_on": timezone.localdate(paper.issued_at),
        "sessions": sessions,
        "attendance": attendance,
        "participants": participants,
        "decisions": list(meeting.decisions.order_by("order")),
        "actions": presented_actions(sessions),
        "documents": public_documents(meeting=meeting),
        "page_label": {"before": before, "between": between, "after": after},
    }


def dossier_issue(*, meeting: Meeting, by: AbstractBaseUser | None, language: str) -> Paper:
    """A new dossier of `meeting` in `language`, with the next reference number: rendered
    from the record as it stands (PDF/A), signed, kept, and recorded with its history. The
    meeting's row is locked while the number is taken."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        paper = Paper(
            kind=PaperKind.DOSSIER,
            reference=_next_reference(meeting=meeting, kind=PaperKind.DOSSIER),
            meeting=meeting,
            language=language,
            issued_at=timezone.now(),
            issued_by=_user(by),
        )
        with translation.override(language):
            context = dossier_context(paper=paper, meeting=meeting)
        pdf = render_pdf(DOSSIER_TEMPLATE, context, language=language, archival=True)
        pdf = paper_sign(pdf, reason=str(PaperKind.DOSSIER.label))
        paper.sha256 = hashlib.sha256(pdf).hexdigest()
        paper.file.save(paper.filename, ContentFile(pdf), save=False)
        paper._history_user = _user(by)
        paper._change_reason = _("issued")
        paper.save()
    return paper
