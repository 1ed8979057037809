from django.urls import include, path

from . import views

app_name = "members"

urlpatterns = [
    path("working-group/", views.working_group, name="working_group"),
    path("members/", views.organization_list, name="organization_list"),
    path("members/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("", include("members.nominations.urls")),
]
