from django.views.generic import DetailView, ListView, TemplateView

from .models import Organization, Person


class WorkingGroupView(TemplateView):
    template_name = "members/working_group.html"


class OrganizationListView(ListView):
    queryset = Organization.objects.current_members()
    paginate_by = 50


class OrganizationDetailView(DetailView):
    model = Organization


class PersonDetailView(DetailView):
    model = Person
