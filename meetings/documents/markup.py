"""The markup of a list of documents (`meetings.documents.listing` rows), as the meeting's
programme, its "Documents" section, a person's page and the action plan write it: the Jinja2
template templates/jinja2/meetings/documents.html (anso/fragments.py), which the programme's
template imports too."""

from django.utils.safestring import SafeString

from anso.fragments import render_fragment

from .listing import DocumentRow


def documents_html(
    rows: list[DocumentRow], *, with_meeting: bool = False, previews: bool = True
) -> SafeString:
    """A list of documents (see the template); `with_meeting` adds the meeting each was given
    at, `previews=False` leaves the previews out."""
    return render_fragment(
        "meetings/document_list.html",
        {"rows": rows, "with_meeting": with_meeting, "previews": previews},
    )
