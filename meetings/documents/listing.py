"""Documents as the public pages list them: a meeting's by session and agenda item, the
presentations a person gave, the presentations of each action of the plan.

Each read is one query for the documents (with their latest version and where they were
given) and one for their earlier versions, however many there are; only the documents the
visitor's audience may read (`Document.objects.visible_to`) are listed. The rows are written
out by `meetings.documents.markup` (templates/jinja2/meetings/documents.html)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from anso.files import uploads
from anso.text.languages import fallback_lang
from members.models import Person

from ..models import Action, Meeting
from .access import Audience
from .models import Document, DocumentKind, DocumentLanguage, DocumentVersion

#: What a page calls a file of each type the upload check accepts.
FILE_TYPES = {
    uploads.PDF: _("PDF"),
    uploads.JPEG: _("JPEG image"),
    uploads.PNG: _("PNG image"),
    uploads.GIF: _("GIF image"),
    uploads.WEBP: _("WebP image"),
    uploads.DOC: _("Word document"),
    uploads.DOCX: _("Word document"),
    uploads.XLS: _("Excel spreadsheet"),
    uploads.XLSX: _("Excel spreadsheet"),
    uploads.PPT: _("PowerPoint presentation"),
    uploads.PPTX: _("PowerPoint presentation"),
    uploads.ODT: _("OpenDocument text"),
    uploads.ODS: _("OpenDocument spreadsheet"),
    uploads.ODP: _("OpenDocument presentation"),
}


def file_type(content_type: str) -> str:
    """ "PDF", "Word document", "JPEG image"; "file" for a type the site does not name."""
    return str(FILE_TYPES.get(content_type.split(";")[0].strip().lower(), _("file")))


@dataclass(frozen=True)
class VersionRow:
    """An earlier version of a document: its number, upload day, size and download link."""

    number: int
    uploaded_on: datetime.date
    size: int
    url: str

    @property
    def label(self) -> str:
        """ "Version 2", in the active language."""
        return gettext("Version %(number)s") % {"number": self.number}


@dataclass
class DocumentRow:
    """A document as a page lists it: the latest version's link, size and type; its preview
    when one was made; its earlier versions, the newest first. `lang` is "en" where the title
    shown is the English one in place of a missing translation. `meeting` is the meeting it
    was given at, for the lists outside the meeting's own page."""

    pk: int
    title: str
    lang: str | None
    kind: str
    language: str
    type: str
    size: int
    url: str
    preview_url: str
    session_id: int | None
    agenda_item_id: int | None
    earlier: list[VersionRow] = field(default_factory=list)
    meeting: Meeting | None = None
    meeting_lang: str | None = None
    action_id: int | None = None

    @property
    def earlier_summary(self) -> str:
        """ "2 earlier versions", in the active language."""
        count = len(self.earlier)
        return ngettext("%(count)s earlier version", "%(count)s earlier versions", count) % {
            "count": count
        }


def _latest_first():
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.order_by("-number").only(
            "pk", "document_id", "number", "filename", "size", "uploaded_at"
        ),
        to_attr="all_versions",
    )


def _rows(documents: list[Document], *, with_meeting: bool = True) -> list[DocumentRow]:
    """The documents (with `latest_version`, the prefetched `all_versions` and, with
    `with_meeting`, their `meeting`) as rows."""
    kinds, languages = dict(DocumentKind.choices), dict(DocumentLanguage.choices)
    rows = []
    for document in documents:
        latest = document.latest_version
        meeting = document.meeting if with_meeting and document.meeting_id else None
        rows.append(
            DocumentRow(
                pk=document.pk,
                title=document.title,
                lang=fallback_lang(document, "title"),
                kind=str(kinds.get(document.kind, document.kind)),
                language=str(languages.get(document.language, document.language)),
                type=file_type(latest.content_type),
                size=latest.size,
                url=latest.get_absolute_url(),
                preview_url=latest.get_preview_url(),  # "" until the worker has made it
                session_id=document.session_id,
                agenda_item_id=document.agenda_item_id,
                earlier=[
                    VersionRow(
                        number=version.number,
                        uploaded_on=timezone.localdate(version.uploaded_at),
                        size=version.size,
                        url=version.get_absolute_url(),
                    )
                    for version in getattr(document, "all_versions", [])
                    if version.pk != latest.pk
                ],
                meeting=meeting,
                meeting_lang=fallback_lang(meeting, "title"),
                action_id=getattr(document, "for_action", None),
            )
        )
    return rows


@dataclass
class MeetingDocuments:
    """A meeting's documents that the visitor may read, by where they are: on the meeting
    itself, a session, an agenda item; and, for a visitor who is not signed in, how many more
    the members may read (`members_only`), to say so without naming them."""

    on_meeting: list[DocumentRow]
    by_session: dict[int, list[DocumentRow]]
    by_item: dict[int, list[DocumentRow]]
    members_only: int = 0

    def __bool__(self) -> bool:
        return bool(self.on_meeting or self.by_session or self.by_item)


def meeting_documents(*, meeting_id: int, audience: Audience) -> MeetingDocuments:
    """The meeting's documents `audience` may read, in order. Two queries: the documents with
    their latest version (and, for the public, whether each is one it may read: the others
    are the members-only ones, counted), then their versions; one when there is none."""
    # The Secretariat may read a document without a file yet: no page lists it.
    documents = Document.objects.filter(meeting_id=meeting_id, latest_version__isnull=False)
    wider = Audience.MEMBERS if audience == Audience.PUBLIC else audience
    shown_to = Document.objects.visible_to(audience).filter(pk=OuterRef("pk"))
    found = list(
        documents.visible_to(wider)
        .annotate(shown=Exists(shown_to))
        .select_related("latest_version")
        .order_by("order", "pk")
    )
    shown = [document for document in found if document.shown]
    prefetch_related_objects(shown, _latest_first())
    result = MeetingDocuments(on_meeting=[], by_session={}, by_item={})
    result.members_only = len(found) - len(shown)
    by_session, by_item = defaultdict(list), defaultdict(list)
    for row in _rows(shown, with_meeting=False):
        if row.agenda_item_id:
            by_item[row.agenda_item_id].append(row)
        elif row.session_id:
            by_session[row.session_id].append(row)
        else:
            result.on_meeting.append(row)
    result.by_session, result.by_item = dict(by_session), dict(by_item)
    return result


def _presentations(audience: Audience) -> QuerySet[Document]:
    """Presentations `audience` may read, given at a published meeting or on an action."""
    return (
        Document.objects.visible_to(audience)
        .filter(kind=DocumentKind.PRESENTATION, latest_version__isnull=False)
        .filter(Q(meeting__isnull=True) | Q(meeting__is_published=True))
        .select_related("latest_version", "meeting")
        .prefetch_related(_latest_first())
    )


def public_presentations() -> QuerySet[Document]:
    """The presentations the public may read (those a person's page lists to a visitor who is
    not signed in), as a queryset to narrow."""
    return _presentations(Audience.PUBLIC)


def person_presentations(*, person: Person, audience: Audience) -> list[DocumentRow]:
    """The presentations the person gave, the latest meeting first. Two queries."""
    documents = _presentations(audience).filter(presented_by=person)
    return _rows(documents.order_by(F("meeting__start_date").desc(nulls_last=True), "order", "pk"))


#: Presentations of an action shown on the action plan; the action's page shows them all.
LATEST_DOCUMENTS = 3


def action_presentations(*, audience: Audience) -> tuple[dict[int, list[DocumentRow]], dict]:
    """The latest presentations of each action (at most LATEST_DOCUMENTS: those on the action
    itself and those of the agenda items that presented it), by action, and how many each has
    in all: the newest first, by the document's date, else its meeting's, else the day its
    latest version was uploaded; then by upload time and id. Two queries, ranked and counted
    per action in one pass (window functions)."""
    per_action = {"partition_by": F("for_action")}
    documents = (
        _presentations(audience)
        .annotate(for_action=Coalesce("action_id", "agenda_item__action_id"))
        .filter(for_action__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                order_by=(
                    Coalesce(
                        "date", "meeting__start_date", TruncDate("latest_version__uploaded_at")
                    ).desc(),
                    F("latest_version__uploaded_at").desc(),
                    F("pk").desc(),
                ),
                **per_action,
            ),
            total=Window(Count("pk"), **per_action),
        )
        .filter(rank__lte=LATEST_DOCUMENTS)
        .order_by("for_action", "rank")
    )
    documents = list(documents)
    totals = {document.for_action: document.total for document in documents}
    by_action: dict[int, list[DocumentRow]] = defaultdict(list)
    for row in _rows(documents):
        by_action[row.action_id].append(row)
    return dict(by_action), totals


def action_documents(*, action: Action, audience: Audience) -> list[DocumentRow]:
    """Every presentation of the action, in the order of the meetings. Two queries."""
    documents = _presentations(audience).for_action(action)
    return _rows(documents.order_by(F("meeting__start_date").asc(nulls_first=True), "order", "pk"))
