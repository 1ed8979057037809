"""The read-only JSON API of the meetings (docs/api.md): meetings with their programme,
decisions, public documents and listed participants; attendance figures; the action plan;
people as their public pages show them. Built on what `members.api` shares; every field comes
from the public pages' selectors (`meeting_programme`, `meeting_documents` for the public,
`meeting_public_participants`, `attendance_summary`, `attendance_counts_by_meeting`,
`with_latest`, `action_with_presentations`, `people_shown`).

The endpoints, one module each: meetings.py, attendance.py, actions.py, people.py."""

from .actions import ActionViewSet
from .attendance import AttendanceViewSet
from .meetings import MeetingViewSet
from .people import PersonViewSet

__all__ = ["ActionViewSet", "AttendanceViewSet", "MeetingViewSet", "PersonViewSet"]
