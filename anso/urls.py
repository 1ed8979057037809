from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import two_factor, views

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("", include("members.urls")),
    path("meetings/", include("meetings.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
]
