from django.urls import path, register_converter

from anso.converters import YearConverter

from . import views

app_name = "meetings"

register_converter(YearConverter, "year")

meeting = "<year:year>/<slug:slug>/"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path(meeting, views.meeting_detail, name="meeting_detail"),
    path(f"{meeting}calendar.ics", views.meeting_ical, name="meeting_ical"),
    path("action-plan/", views.action_list, name="action_list"),
    path("action-plan/<slug:slug>/", views.action_detail, name="action_detail"),
    # Registration (public)
    path(f"{meeting}register/", views.RegistrationCreateView.as_view(), name="registration_create"),
    path(
        f"{meeting}register/done/", views.RegistrationDoneView.as_view(), name="registration_done"
    ),
    path(
        f"{meeting}register/link/",
        views.RegistrationLinkRequestView.as_view(),
        name="registration_link_request",
    ),
    path(
        f"{meeting}registration/<str:token>/",
        views.RegistrationManageView.as_view(),
        name="registration_manage",
    ),
    # The Secretariat
    path(f"{meeting}check-in/", views.CheckInView.as_view(), name="check_in"),
    path(f"{meeting}check-in/search/", views.CheckInSearchView.as_view(), name="check_in_search"),
    path(f"{meeting}check-in/<int:pk>/", views.CheckInToggleView.as_view(), name="check_in_toggle"),
    path(f"{meeting}report/", views.ReportView.as_view(), name="report"),
    path(f"{meeting}report/print/", views.ReportPrintView.as_view(), name="report_print"),
    path(
        f"{meeting}participants/print/",
        views.ParticipantListPrintView.as_view(),
        name="participant_list_print",
    ),
    path("statistics/", views.StatisticsDashboardView.as_view(), name="statistics"),
]
