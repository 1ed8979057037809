from django.views.generic import DetailView, ListView

from .models import Action, Meeting


class MeetingListView(ListView):
    queryset = Meeting.objects.published().select_related("body")
    paginate_by = 20


class MeetingDetailView(DetailView):
    def get_queryset(self):
        return Meeting.objects.published().filter(start_date__year=self.kwargs["year"])


class ActionListView(ListView):
    model = Action


class ActionDetailView(DetailView):
    model = Action
