"""Admin list filters by meeting, for the meetings' own lists and for the members' positions."""

from django.contrib import admin
from django.utils import timezone
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


class MeetingWhenFilter(admin.SimpleListFilter):
    """Rows of coming meetings (those ending today or later: `Meeting.objects.upcoming`), or of
    past ones. Subclasses set `meeting_path`, the lookup from the listed model to its meeting."""

    title = _("when")
    parameter_name = "when"
    meeting_path = "meeting"

    def lookups(self, request, model_admin):
        return [("coming", _("coming meetings")), ("past", _("past meetings"))]

    def queryset(self, request, queryset):
        return self.narrow(queryset, self.value())

    @classmethod
    def narrow(cls, queryset, value: str | None, *, today=None):
        """`queryset` narrowed as the list is by `?when=<value>` (the home page counts with it)."""
        today = today or timezone.localdate()
        if value == "coming":
            meetings = Meeting.objects.upcoming(today)
        elif value == "past":
            meetings = Meeting.objects.past(today)
        else:
            return queryset
        return queryset.filter(**{f"{cls.meeting_path}__in": meetings.values("pk")})
