"""The sheets printed for the day of a meeting: badges, table tents and the sign-in sheet, A4
PDFs of its registrants (`ParticipationQuerySet.registered`), rendered as every paper is
(`render.render_pdf`). They are printed, not issued: no reference number, no signature, no
row in *Papers*, nothing written.

A badge's QR code is the check-in page's address with the participation's check-in code
(`attendance.links.check_in_code`): scanned by a signed-in Secretariat member, it opens the
check-in list showing that one participant, whom the list's button then checks in."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from anso.links import absolute_url

from ..attendance.links import check_in_code
from ..attendance.models import Participation
from ..models import Meeting
from .render import qr_code_png_data_uri, render_pdf

#: Badges of about 90 x 55 mm, two across and four down an A4 page.
BADGES_PER_PAGE = 8
#: Rows of the sign-in sheet per A4 page, with room for a signature each.
SIGN_IN_ROWS_PER_PAGE = 20

BADGES_TEMPLATE = "meetings/papers/badges.html"
TABLE_TENTS_TEMPLATE = "meetings/papers/table_tents.html"
SIGN_IN_SHEET_TEMPLATE = "meetings/papers/sign_in_sheet.html"


def sheet_participations(participations: QuerySet[Participation]) -> list[Participation]:
    """The registrants among `participations` (cancelled and waiting-list ones are not), by
    family name, with what the sheets show: one query."""
    return list(
        participations.registered()
        .select_related("person", "organization", "meeting")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def meeting_registrants(*, meeting: Meeting) -> list[Participation]:
    """A meeting's registrants, as the sheets list them."""
    return sheet_participations(Participation.objects.filter(meeting=meeting))


def check_in_path(*, participation: Participation) -> str:
    """The check-in page of the participation's meeting, showing that one participant (in the
    active language)."""
    meeting = participation.meeting
    page = reverse(
        "meetings:check_in", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )
    return f"{page}?{urlencode({'code': check_in_code(participation=participation)})}"


def check_in_url(*, participation: Participation) -> str:
    """What a badge's QR code encodes: `check_in_path` on SITE_URL."""
    return absolute_url(check_in_path(participation=participation))


def _pages(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def badges_context(*, participations: list[Participation], language: str) -> dict:
    """What the badges' template shows for `participations`: their QR codes in `language`'s
    addresses, eight to a page."""
    with translation.override(language):
        badges = [
            {
                "participation": participation,
                "qr_code": qr_code_png_data_uri(check_in_path(participation=participation)),
            }
            for participation in participations
        ]
    return {"sheet": "badges", "pages": _pages(badges, BADGES_PER_PAGE)}


def badges_pdf(*, participations: list[Participation], language: str) -> bytes:
    """The badges of `participations`, eight to an A4 page, in `language`."""
    context = badges_context(participations=participations, language=language)
    return render_pdf(BADGES_TEMPLATE, context, language=language)


def table_tents_context(*, participations: list[Participation], language: str) -> dict:
    return {"sheet": "table-tents", "participations": participations}


def table_tents_pdf(*, participations: list[Participation], language: str) -> bytes:
    """A table tent per A4 page for each of `participations`: folded across the middle, the
    name reads from both sides."""
    context = table_tents_context(participations=participations, language=language)
    return render_pdf(TABLE_TENTS_TEMPLATE, context, language=language)


def page_of_pages_label() -> tuple[str, str, str]:
    """ "page 2 of 5" in the active language, cut around its two numbers, which the print CSS
    fills in with its page counters: ("page ", " of ", "")."""
    marker = "\x00"
    label = _("page %(page)s of %(pages)s") % {"page": marker, "pages": marker}
    before, between, after = label.split(marker)
    return before, between, after


def sign_in_sheet_pdf(*, meeting: Meeting, participations: list[Participation], language: str):
    """The meeting's sign-in sheet: its registrants by family name, numbered, with a column to
    sign in; the meeting and "page 2 of 5" at the head of every page."""
    with translation.override(language):
        before, between, after = page_of_pages_label()
    rows = list(enumerate(participations, start=1))
    context = {
        "sheet": "sign-in",
        "meeting": meeting,
        "pages": _pages(rows, SIGN_IN_ROWS_PER_PAGE),
        "page_label": {"before": before, "between": between, "after": after},
    }
    return render_pdf(SIGN_IN_SHEET_TEMPLATE, context, language=language)


def sheet_response(pdf: bytes, *, name: str) -> HttpResponse:
    """A sheet's PDF, shown by the browser (to print), never cached."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    add_never_cache_headers(response)
    return response
