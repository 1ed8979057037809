"""A stand-alone admin with the models registered the way the project's admin registers them
(SimpleHistoryAdmin), so the data-safety behaviour of Django's admin with our models
(PROTECT, history revert) is tested whatever the project's admin module looks like."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from simple_history.admin import SimpleHistoryAdmin

from anso import two_factor
from meetings.models import Meeting
from members.models import Organization, Person

site = admin.AdminSite(name="admin")
for model in (Organization, Person, Meeting):
    site.register(model, SimpleHistoryAdmin)

urlpatterns = [
    path("admin/", site.urls),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("", include("members.urls")),
    path("meetings/", include("meetings.urls")),
]
