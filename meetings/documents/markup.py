"""The markup of a list of documents (`meetings.documents.listing` rows), as the meeting's
programme, its "Documents" section, a person's page and the action plan write it.

Written in Python like the programme it goes into (meetings/programme.py): every stored text
is escaped here, labels are translated once per list."""

from html import escape

from django.template.defaultfilters import capfirst, filesizeformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from anso.dates import format_date
from anso.languages import lang_attribute

from .listing import DocumentRow


def _earlier_html(row: DocumentRow) -> str:
    count = len(row.earlier)
    summary = ngettext("%(count)s earlier version", "%(count)s earlier versions", count) % {
        "count": count
    }
    lines = []
    for version in row.earlier:
        label = gettext("Version %(number)s") % {"number": version.number}
        lines.append(
            f'<li><a href="{escape(version.url)}" download>{escape(label)}</a>, '
            f'<time datetime="{version.uploaded_on.isoformat()}">'
            f"{escape(format_date(version.uploaded_on))}</time>, "
            f"{escape(filesizeformat(version.size))}</li>"
        )
    return (
        f'<details class="small earlier-versions"><summary>{escape(summary)}</summary>'
        f'<ul class="list-unstyled ms-3 mb-0">{"".join(lines)}</ul></details>'
    )


def documents_html(
    rows: list[DocumentRow], *, with_meeting: bool = False, previews: bool = True
) -> SafeString:
    """A list of documents: each title links to the latest version's file (to download: a PDF
    or an image is saved, not opened in the page's place), followed by its kind, language,
    type and size, its preview (where one was made) and its earlier versions.
    `with_meeting` adds the meeting each was given at, linked (for lists outside it);
    `previews=False` leaves the previews out (short lists of links)."""
    if not rows:
        return mark_safe("")
    out = ['<ul class="list-unstyled documents mb-1">']
    for row in rows:
        preview = (
            f'<img class="document-preview" src="{escape(row.preview_url)}" alt="" loading="lazy">'
            if previews and row.preview_url
            else ""
        )
        details = " · ".join(
            escape(text)
            for text in (capfirst(row.kind), row.language, row.type, filesizeformat(row.size))
        )
        meeting = ""
        if with_meeting and row.meeting is not None:
            meeting = (
                f' · <a href="{escape(row.meeting.get_absolute_url())}"'
                f"{lang_attribute(row.meeting_lang)}>{escape(row.meeting.title)}</a>"
            )
        out.append(
            f'<li id="document-{row.pk}" class="document">{preview}'
            f'<div><a class="document-link" href="{escape(row.url)}" download'
            f"{lang_attribute(row.lang)}>"
            f"{escape(row.title)}</a> "
            f'<span class="small text-body-secondary document-details">({details})</span>'
            f"{meeting}"
            f"{_earlier_html(row) if row.earlier else ''}</div></li>"
        )
    out.append("</ul>")
    return mark_safe("".join(out))  # noqa: S308 (every stored text above is escaped)
