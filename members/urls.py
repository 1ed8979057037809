from django.urls import include, path

from . import views
from .personal_data import views as personal_data_views

app_name = "members"

urlpatterns = [
    path("working-group/", views.working_group, name="working_group"),
    path("members/", views.organization_list, name="organization_list"),
    path(
        "announcements/unsubscribe/<str:token>/",
        views.announcements_unsubscribe,
        name="announcements_unsubscribe",
    ),
    path("my-data/", personal_data_views.personal_data_page, name="personal_data"),
    path("my-data/download/", personal_data_views.personal_data_json, name="personal_data_json"),
    path("", include("members.nominations.urls")),
    path("", include("members.sign_in.urls")),
]
