from django.urls import include, path

from . import views

app_name = "members"

urlpatterns = [
    path("working-group/", views.working_group, name="working_group"),
    path("members/", views.organization_list, name="organization_list"),
    path(
        "announcements/unsubscribe/<str:token>/",
        views.announcements_unsubscribe,
        name="announcements_unsubscribe",
    ),
    path("", include("members.nominations.urls")),
    path("", include("members.sign_in.urls")),
]
