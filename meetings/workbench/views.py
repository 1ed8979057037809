"""A meeting's control page: its stages in order, each with its figures and its tools; and the
live check-in count it refreshes while check-in is open."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from ..papers.selectors import paper_batches_recent
from ..views import SecretariatMixin
from . import selectors


@method_decorator(never_cache, name="dispatch")  # figures of the moment, as the admin's pages
class MeetingControlView(SecretariatMixin, View):
    permission_required = "meetings.view_meeting"
    template_name = "meetings/meeting_control.html"

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        context = self.staff_context(
            title=_("Control page"),
            subtitle=meeting.title,
            meeting=meeting,
            control=selectors.meeting_control(meeting=meeting),
            refresh_seconds=CHECK_IN_REFRESH_SECONDS,
            # Over this many registrants, the badges and table tents are made by the worker.
            batch_threshold=settings.PAPERS_BATCH_THRESHOLD,
            paper_batches=paper_batches_recent(meeting=meeting),
        )
        return render(request, self.template_name, context)


#: How often the control page asks for the check-in count while check-in is open.
CHECK_IN_REFRESH_SECONDS = 20


@method_decorator(never_cache, name="dispatch")
class MeetingCheckInCountView(SecretariatMixin, View):
    """The check-in count as JSON ({"attended": …, "registered": …}), for the control page."""

    permission_required = "meetings.view_meeting"

    def get(self, request, *args, **kwargs):
        counts = selectors.check_in_count(meeting=self.get_meeting())
        return JsonResponse({"attended": counts.attended, "registered": counts.registered})
