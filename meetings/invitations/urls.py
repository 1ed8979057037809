"""Invitation and announcement URLs, included into the `meetings` namespace."""

from django.urls import path

from . import views

meeting = "<year:year>/<slug:slug>/"

urlpatterns = [
    # The invited (public, with a personal link)
    path(
        f"{meeting}invitation/<str:token>/",
        views.InvitationRespondView.as_view(),
        name="invitation_respond",
    ),
    # The Secretariat
    path(f"{meeting}invitations/", views.InvitationListView.as_view(), name="invitation_list"),
    path(f"{meeting}invitations/new/", views.ComposerView.as_view(), name="invitation_compose"),
    path(
        f"{meeting}invitations/remind/",
        views.InvitationRemindView.as_view(),
        name="invitation_remind",
    ),
    path(
        "announcements/new/",
        views.AnnouncementComposerView.as_view(),
        name="announcement_compose",
    ),
]
