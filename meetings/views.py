"""The public meeting pages: the list, a meeting with its programme, decisions and attendance,
the calendar feeds, the action plan and the home page; and the mixins the meeting's pages in
the sub-packages share (attendance, invitations): the published meeting of the URL, and the
Secretariat's access to a meeting's staff pages."""

import dataclasses

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anso.caching.pages import page_shows
from anso.links import absolute_url
from anso.pagination import paginate
from anso.security.staff import StaffRequiredMixin, signed_in_staff
from members.access import sign_in_url
from members.cache_tags import BODIES, ORGANIZATIONS, ROSTER
from members.selectors import key_figures

from . import selectors
from .attendance import selectors as attendance_selectors
from .cache_tags import ACTIONS, MEETINGS, meeting_tag
from .calendar import calendar_bytes
from .documents import listing as document_listing
from .documents.access import audience_of
from .filters import MeetingFilter
from .models import Meeting
from .record import selectors as record_selectors


class PublishedMeetingMixin:
    """The published meeting named by the URL; anything else is a 404."""

    def get_meeting(self) -> Meeting:
        meeting = get_object_or_404(
            Meeting.objects.published().select_related("body"),
            start_date__year=self.kwargs["year"],
            slug=self.kwargs["slug"],
        )
        # What a cached page of these shows: the meeting and its registration.
        page_shows(self.request, MEETINGS, BODIES, meeting_tag(meeting.pk))
        return meeting


class SecretariatMixin(StaffRequiredMixin):
    """Staff fully signed in (the admin's rule, second factor included) with the permission."""

    permission_required = "meetings.change_participation"

    def staff_context(self, **context) -> dict:
        """What a staff page needs besides its own: the admin's layout (its header, user tools,
        titles), without the admin's sidebar. `title` is the page's heading."""
        return {**admin.site.each_context(self.request), "is_nav_sidebar_enabled": False, **context}

    def get_meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.select_related("body"),
            start_date__year=self.kwargs["year"],
            slug=self.kwargs["slug"],
        )


MEETINGS_PER_PAGE = 20
#: Upcoming meetings listed above the past ones; the year filter finds later ones.
UPCOMING_SHOWN = 10
PARTICIPANTS_PER_PAGE = 50


def meeting_list(request):
    """Upcoming meetings, then past meetings (paginated), filtered by the form. A form with
    errors shows its messages and no results."""
    page_shows(request, MEETINGS, BODIES)
    today = timezone.localdate()
    meetings = selectors.meeting_list(user=signed_in_staff(request))
    filterset = MeetingFilter(request.GET or None, queryset=meetings)
    form_has_errors = filterset.is_bound and not filterset.is_valid()
    meetings = meetings.none() if form_has_errors else filterset.qs
    past = paginate(request, meetings.past(today), per_page=MEETINGS_PER_PAGE)
    upcoming = list(meetings.upcoming(today)[: UPCOMING_SHOWN + 1]) if past.number == 1 else []
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "more_upcoming": len(upcoming) > UPCOMING_SHOWN,
            "page_obj": past,
            "is_filtered": filterset.is_bound,
        },
    )


def _get_meeting(request, year: int, slug: str, *, programme: bool = True) -> Meeting:
    get = selectors.meeting_get if programme else selectors.meeting_get_brief
    try:
        return get(year=year, slug=slug, user=signed_in_staff(request))
    except Meeting.DoesNotExist as error:
        raise Http404(_("No such meeting.")) from error


@dataclasses.dataclass(frozen=True)
class PageSection:
    """One section of a meeting's page: its anchor, its heading (also its link in the page's
    menu) and the template of its content."""

    id: str
    title: str

    @property
    def template(self) -> str:
        return f"meetings/meeting_sections/{self.id}.html"


def meeting_sections(
    *,
    before_meeting: bool,
    has_decisions: bool,
    has_actions: bool,
    has_minutes: bool = False,
    has_taken_up: bool = False,
) -> list[PageSection]:
    """The sections a meeting's page shows, in order: the page writes its menu and its
    sections from this one list, so that no section is left out of the menu."""
    sections = [
        PageSection("programme", _("Programme")),
        PageSection("documents", _("Documents")),
        PageSection("attendance", _("Registrations") if before_meeting else _("Attendance")),
        PageSection("participants", _("Participants")),
    ]
    if has_taken_up:
        sections.append(PageSection("arising", _("Taken up from earlier meetings")))
    if has_minutes:
        sections.append(PageSection("minutes", _("Minutes")))
    if has_decisions:
        sections.append(PageSection("decisions", _("Decisions")))
    if has_actions:
        sections.append(PageSection("actions", _("Actions presented")))
    return sections


def meeting_detail(request, year: int, slug: str):
    meeting = _get_meeting(request, year, slug)
    # A document, its versions and previews renew the meeting's tag (meetings/cache_tags.py).
    page_shows(request, meeting_tag(meeting.pk), BODIES, ACTIONS)
    programme = selectors.meeting_programme(meeting=meeting)
    audience = audience_of(request)
    documents = document_listing.meeting_documents(meeting_id=meeting.pk, audience=audience)
    programme.documents = documents
    attendance = attendance_selectors.attendance_summary(meeting_id=meeting.pk)
    # Only attended participants are listed: none attended, none to count.
    participants = paginate(
        request,
        attendance_selectors.meeting_public_participants(meeting_id=meeting.pk)
        if attendance.attended
        else [],
        per_page=PARTICIPANTS_PER_PAGE,
    )
    # Before the meeting has recorded who came: its registrations, not zeros of attendance.
    before_meeting = not attendance.attended and meeting.end_date >= timezone.localdate()
    actions_presented = programme.actions()
    # Approved minutes only, with the meeting's visibility (a 404 above for an unpublished one).
    minutes, minutes_parts = record_selectors.minutes_shown(meeting=meeting)
    taken_up = record_selectors.taken_up(meeting=meeting, programme=programme)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "object": meeting,
            "programme": programme,
            "attendance": attendance,
            "before_meeting": before_meeting,
            "participants": participants,
            "actions_presented": actions_presented,
            "minutes": minutes,
            "minutes_parts": minutes_parts,
            "taken_up": taken_up,
            "sections": meeting_sections(
                before_meeting=before_meeting,
                has_decisions=bool(meeting.decisions.all()),
                has_actions=bool(actions_presented),
                has_minutes=minutes is not None,
                has_taken_up=bool(taken_up),
            ),
            "documents": documents,
            # Signing in as a member is offered to visitors who are not signed in at all.
            "members_sign_in": sign_in_url(request.get_full_path())
            if documents.members_only and not request.user.is_authenticated
            else "",
        },
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ical(request, year: int, slug: str):
    meeting = _get_meeting(request, year, slug, programme=False)
    page_shows(request, MEETINGS, BODIES)  # the meeting's own row, not its attendance
    content = calendar_bytes(
        [meeting],
        url_for=lambda m: absolute_url(m.get_absolute_url()),
        name=meeting.title,
    )
    return _calendar_response(content, f"{meeting.slug}.ics")


def meeting_calendar(request):
    """The published meetings of the last year and those to come (at most 100, the
    nearest first: `selectors.calendar_meetings`) as one calendar feed to subscribe to."""
    page_shows(request, MEETINGS, BODIES)
    meetings = selectors.calendar_meetings(today=timezone.localdate())
    content = calendar_bytes(
        meetings, url_for=lambda m: absolute_url(m.get_absolute_url()), name=_("ANSO meetings")
    )
    return _calendar_response(content, "anso-meetings.ics")


def action_list(request):
    # A document on an action, or on an agenda item that presents one, renews ACTIONS.
    page_shows(request, ACTIONS, MEETINGS, BODIES)
    actions = selectors.action_list(audience=audience_of(request))
    return render(request, "meetings/action_list.html", {"actions": actions})


def action_detail(request, slug: str):
    page_shows(request, ACTIONS, MEETINGS, BODIES)
    action = get_object_or_404(selectors.action_with_presentations(), slug=slug)
    context = {
        "action": action,
        "object": action,
        "presentations": selectors.presentations(action.agenda_items.all()),
        "documents": document_listing.action_documents(
            action=action, audience=audience_of(request)
        ),
    }
    return render(request, "meetings/action_detail.html", context)


def home(request):
    page_shows(request, MEETINGS, BODIES, ORGANIZATIONS, ROSTER)
    today = timezone.localdate()
    return render(
        request,
        "home.html",
        {
            "next_meeting": selectors.next_meeting(today=today),
            "latest_meetings": selectors.latest_meetings(today=today),
            "figures": key_figures(today=today),
        },
    )
