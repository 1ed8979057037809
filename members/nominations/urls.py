"""URLs of contact-person nominations, included in members/urls.py (namespace "members")."""

from django.urls import path

from . import nomination_views

urlpatterns = [
    path(
        "working-group/nominate/",
        nomination_views.NominationCreateView.as_view(),
        name="nomination_create",
    ),
    path(
        "working-group/nominate/thanks/",
        nomination_views.NominationThanksView.as_view(),
        name="nomination_thanks",
    ),
    path(
        "working-group/nominate/resend/",
        nomination_views.nomination_resend,
        name="nomination_resend",
    ),
    path(
        "working-group/nominate/confirm/<str:token>/",
        nomination_views.nomination_confirm,
        name="nomination_confirm",
    ),
]
