"""Admin list filters by meeting, for the meetings' own lists and for the members' positions."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from anso.admin_tools import LatestRowsListFilter

from .models import Meeting


class MeetingListFilter(LatestRowsListFilter):
    """Filter by meeting, listing only the latest meetings (and the one chosen); any other
    meeting is `?meeting=<pk>`, the link the meeting's own admin page uses. Subclasses set
    `meeting_path`, the lookup from the listed model to its meeting."""

    title = _("meeting")
    parameter_name = "meeting"
    meeting_path = "meeting"

    def latest(self):
        return Meeting.objects.order_by("-start_date", "-pk").only("title", "start_date")

    def label(self, meeting: Meeting) -> str:
        return f"{meeting.title} ({date_format(meeting.start_date, 'YEAR_MONTH_FORMAT')})"

    def filter_related(self, queryset, pk: int):
        return queryset.filter(**{f"{self.meeting_path}__pk": pk})


class HeldAtMeetingFilter(MeetingListFilter):
    """Positions held on the first day of a meeting: "who was in the working group then"."""

    title = _("held on the first day of")
    parameter_name = "held_at_meeting"

    def filter_related(self, queryset, pk: int):
        start = Meeting.objects.filter(pk=pk).values_list("start_date", flat=True).first()
        return queryset.none() if start is None else queryset.held_on(start)
