"""The demo's one document: the agenda of the 1st ANSO Working Group Meeting as a small PDF,
written from the programme the demo loads (Pillow draws the text, and saves the page as a
PDF), public, on the meeting. It is sample data, and says so on the page and in its title.

Made once: a second run finds it by its meeting, kind and title and leaves it as it is. The
file goes through the same service as an upload in the admin (the upload check, the version,
the preview made by the worker)."""

import io
import textwrap

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from anso.text.dates import date_range
from anso.text.languages import DEFAULT_LANGUAGE

from ..documents.models import Document, DocumentKind, Visibility
from ..documents.services import document_create
from ..models import AgendaItem, Meeting, Session
from .chinese import chinese

AGENDA_TITLE = "Meeting agenda (sample document)"
AGENDA_FILENAME = "agenda.pdf"
SAMPLE_NOTE = (
    "Sample document made for the demonstration of this site from the programme of the "
    "meeting's report; not an official document of ANSO."
)

#: An A4 page at 100 dots per inch: the file is some 60 kB.
PAGE = (827, 1169)
MARGIN = 70
COLUMNS = 80


def _agenda_lines(meeting: Meeting) -> list[tuple[str, int]]:
    """The agenda's lines, each with its font size."""
    # The default font has no en dash: the range is written with a hyphen.
    days = date_range(meeting.start_date, meeting.end_date).replace("\N{EN DASH}", "-")
    lines = [(meeting.title_en, 26), (days, 18)]
    lines.append((", ".join(filter(None, [meeting.venue_en, meeting.city_en])), 18))
    for session in Session.objects.filter(meeting=meeting).order_by("order"):
        lines.append(("", 12))
        lines.append((session.title_en, 20))
        items = AgendaItem.objects.filter(session=session).order_by("order")
        for item in items:
            for index, part in enumerate(textwrap.wrap(item.title_en, COLUMNS - 4)):
                lines.append((("- " if index == 0 else "  ") + part, 15))
    lines.append(("", 12))
    lines += [(part, 12) for part in textwrap.wrap(SAMPLE_NOTE, COLUMNS + 20)]
    return lines


def agenda_pdf(meeting: Meeting) -> bytes:
    """The meeting's agenda as a one-page PDF (a long programme runs off the page's foot:
    the demo's fits)."""
    with translation.override(DEFAULT_LANGUAGE):
        lines = _agenda_lines(meeting)
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for text, size in lines:
        draw.text((MARGIN, y), text, fill=0, font=ImageFont.load_default(size=size))
        y += int(size * 1.6)
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=100)
    return out.getvalue()


def demo_documents_load(meeting: Meeting) -> bool:
    """Add the agenda to the meeting unless it is there; whether it was added."""
    found = Document.objects.filter(
        meeting=meeting, kind=DocumentKind.AGENDA, title_en=AGENDA_TITLE
    )
    if found.exists():
        return False
    upload = SimpleUploadedFile(AGENDA_FILENAME, agenda_pdf(meeting), "application/pdf")
    document_create(
        title=AGENDA_TITLE,
        title_zh_hans=chinese(AGENDA_TITLE),
        meeting=meeting,
        kind=DocumentKind.AGENDA,
        visibility=Visibility.PUBLIC,
        files=[upload],
    )
    return True
