from django.urls import path

from . import views

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
]

# Contact-person nominations (members/nomination_views.py).
from .nomination_urls import urlpatterns as nomination_urlpatterns  # noqa: E402

urlpatterns += nomination_urlpatterns
