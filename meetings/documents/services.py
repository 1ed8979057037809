"""The writes of documents: create one, change it, add a file as its next version. Every upload,
in the admin or elsewhere, goes through `document_version_add`: the upload check
(`anso.files.uploads.check_upload`), the next number under a lock on the document, who uploaded it,
and the preview queued for the worker once the transaction commits."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anso.files.uploads import PREVIEW_TYPES, CheckedUpload, check_upload
from members.models import Person

from ..models import Action, AgendaItem, Meeting, Session
from .models import (
    Document,
    DocumentKind,
    DocumentLanguage,
    DocumentVersion,
    PreviewState,
    Visibility,
)
from .previews import make_preview

#: The fields `document_update` may change (the title by its column in each language).
UPDATABLE = frozenset(
    {
        "title_en",
        "title_zh_hans",
        "kind",
        "language",
        "date",
        "visibility",
        "presented_by",
        "order",
        "meeting",
        "session",
        "agenda_item",
        "action",
    }
)


def _default_presenter(document: Document) -> None:
    """A presentation on an agenda item is given by the item's first speaker, unless said."""
    if document.presented_by_id or not document.agenda_item_id:
        return
    if document.kind != DocumentKind.PRESENTATION:
        return
    speaker = document.agenda_item.speaker_set.order_by("order", "pk").first()
    if speaker is not None:
        document.presented_by_id = speaker.person_id


@transaction.atomic
def document_create(
    *,
    title: str,
    meeting: Meeting | None = None,
    session: Session | None = None,
    agenda_item: AgendaItem | None = None,
    action: Action | None = None,
    kind: str = DocumentKind.PRESENTATION,
    language: str = DocumentLanguage.ENGLISH,
    date: datetime.date | None = None,
    visibility: str = Visibility.SECRETARIAT,
    presented_by: Person | None = None,
    order: int = 1,
    title_zh_hans: str | None = None,
    files=(),
    uploaded_by: AbstractBaseUser | None = None,
) -> Document:
    """A document on the agenda item, session, meeting or action given (the finest one that is
    given decides; the meeting and session are filled from it), with `files` added as its
    versions in order (the last is the latest). `ValidationError` when the targets do not
    belong together or a file is refused; nothing is saved then."""
    document = Document(
        meeting=meeting,
        session=session,
        agenda_item=agenda_item,
        action=action,
        title_en=title,
        title_zh_hans=title_zh_hans or "",
        kind=kind,
        language=language,
        date=date,
        visibility=visibility,
        presented_by=presented_by,
        order=order,
    )
    document.place()
    _default_presenter(document)
    if document.date is None and document.meeting_id:
        session_date = document.session.date if document.session_id else None
        document.date = session_date or document.meeting.start_date
    document.full_clean(exclude=["latest_version"])
    document.save()
    if files:
        document_versions_add(document=document, uploads=files, uploaded_by=uploaded_by)
    return document


@transaction.atomic
def document_update(*, document: Document, **changes) -> Document:
    """Change a document's description or where it belongs (not its files: an upload is a new
    version). Unknown fields are a `TypeError`."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"document_update() cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(document, field, value)
    # Moved: the coarser targets follow the finer one unless they are given too.
    if "agenda_item" in changes and "session" not in changes:
        document.session = None
    if {"agenda_item", "session"} & set(changes) and "meeting" not in changes:
        document.meeting = None
    document.full_clean(exclude=["latest_version"])  # places it (`Document.place`)
    document.save()
    return document


@transaction.atomic
def document_version_add(
    *, document: Document, upload, uploaded_by: AbstractBaseUser | None
) -> DocumentVersion:
    """Check `upload` (a file, or a `CheckedUpload` that a form checked already) and store it
    as the document's next version, which becomes its latest; earlier
    versions are kept. Its preview is made by the worker after the commit."""
    checked = upload if isinstance(upload, CheckedUpload) else check_upload(upload)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DocumentVersion(
        document=locked,
        number=last + 1,
        filename=checked.filename,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
        preview_state=(
            PreviewState.PENDING if checked.content_type in PREVIEW_TYPES else PreviewState.NONE
        ),
    )
    version.file.save(checked.filename, checked.file, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    locked.latest_version = version
    locked.save(update_fields=["latest_version", "updated_at"])
    document.latest_version = version
    if version.preview_state == PreviewState.PENDING:
        transaction.on_commit(lambda: _enqueue_preview(version.pk), robust=True)
    return version


def _enqueue_preview(version_pk: int) -> None:
    make_preview.enqueue(version_pk)


def document_versions_add(
    *, document: Document, uploads, uploaded_by: AbstractBaseUser | None
) -> list[DocumentVersion]:
    """Several files at once, all or none: each is checked before any is stored."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(upload if isinstance(upload, CheckedUpload) else check_upload(upload))
        except ValidationError as error:
            errors.extend(
                _("%(name)s: %(problem)s") % {"name": upload.name, "problem": problem}
                for problem in error.messages
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return [
            document_version_add(document=document, upload=upload, uploaded_by=uploaded_by)
            for upload in checked
        ]
