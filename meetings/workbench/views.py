"""A meeting's control page: its stages in order, each with its figures and its tools."""

from django.shortcuts import render
from django.views import View

from ..views import SecretariatMixin


class MeetingControlView(SecretariatMixin, View):
    permission_required = "meetings.view_meeting"
    template_name = "meetings/meeting_control.html"

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        return render(request, self.template_name, {"meeting": meeting, "title": meeting.title})
