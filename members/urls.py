from django.urls import path

from . import nomination_views, views

app_name = "members"

urlpatterns = [
    path("working-group/", views.WorkingGroupView.as_view(), name="working_group"),
    path("members/", views.OrganizationListView.as_view(), name="organization_list"),
    path(
        "members/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
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
        "working-group/nominate/confirm/<str:token>/",
        nomination_views.nomination_confirm,
        name="nomination_confirm",
    ),
]
