"""URLs of contact-person nominations, included in members/urls.py: their names are in the
"members" namespace ("members:nomination_create"), where they have always been."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "working-group/nominate/",
        views.NominationCreateView.as_view(),
        name="nomination_create",
    ),
    path(
        "working-group/nominate/thanks/",
        views.NominationThanksView.as_view(),
        name="nomination_thanks",
    ),
    path(
        "working-group/nominate/resend/",
        views.nomination_resend,
        name="nomination_resend",
    ),
    path(
        "working-group/nominate/confirm/<str:token>/",
        views.nomination_confirm,
        name="nomination_confirm",
    ),
]
