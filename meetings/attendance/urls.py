"""Attendance URLs, included into the `meetings` namespace (names such as
`meetings:registration_create` and `meetings:check_in`); the `year` converter is registered by
`meetings.urls`."""

from django.urls import path

from . import views

meeting = "<year:year>/<slug:slug>/"

urlpatterns = [
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
    path("statistics/export/", views.StatisticsExportView.as_view(), name="statistics_export"),
]
