from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("<int:year>/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("action-plan/", views.ActionListView.as_view(), name="action_list"),
    path("action-plan/<slug:slug>/", views.ActionDetailView.as_view(), name="action_detail"),
]
