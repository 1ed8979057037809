from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("<int:year>/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("<int:year>/<slug:slug>/calendar.ics", views.meeting_ical, name="meeting_ical"),
    path("action-plan/", views.action_list, name="action_list"),
    path("action-plan/<slug:slug>/", views.action_detail, name="action_detail"),
]
