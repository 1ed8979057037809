"""Included at the site's root (anso/urls.py). The names have no namespace: they are the
site's own ("home"), and the pages of an organization and a person are linked from
every part of the site through `get_absolute_url`."""

from django.urls import path

from .. import views as meeting_views
from . import views

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("members/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
]
