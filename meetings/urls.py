from django.urls import include, path, register_converter

from anso.converters import YearConverter

from . import views
from .papers import views as papers_views
from .record import comments_views
from .workbench import views as workbench_views

app_name = "meetings"

register_converter(YearConverter, "year")

meeting = "<year:year>/<slug:slug>/"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path(meeting, views.meeting_detail, name="meeting_detail"),
    path(f"{meeting}calendar.ics", views.meeting_ical, name="meeting_ical"),
    path(
        f"{meeting}control/", workbench_views.MeetingControlView.as_view(), name="meeting_control"
    ),
    path(
        f"{meeting}control/check-in.json",
        workbench_views.MeetingCheckInCountView.as_view(),
        name="meeting_control_check_in",
    ),
    path("action-plan/", views.action_list, name="action_list"),
    path("action-plan/<slug:slug>/", views.action_detail, name="action_detail"),
    # Registration, check-in, the report and the statistics
    path("", include("meetings.attendance.urls")),
    # Invitations and announcements
    path("", include("meetings.invitations.urls")),
    # The participant's certificate of attendance, from their registration's link
    path(
        f"{meeting}registration/<str:token>/certificate/",
        papers_views.CertificateDownloadView.as_view(),
        name="certificate_download",
    ),
    # The sheets for the day of the meeting: badges, table tents, the sign-in sheet
    path(f"{meeting}badges/", papers_views.BadgesView.as_view(), name="badges"),
    path(f"{meeting}table-tents/", papers_views.TableTentsView.as_view(), name="table_tents"),
    path(f"{meeting}sign-in-sheet/", papers_views.SignInSheetView.as_view(), name="sign_in_sheet"),
    # The meeting's dossier: issued from its control page (POST)
    path(f"{meeting}dossier/", papers_views.DossierIssueView.as_view(), name="dossier_issue"),
    # A member's comments on the circulated minutes, from their personal link
    path(
        f"{meeting}minutes/comments/<str:token>/",
        comments_views.MinutesCommentView.as_view(),
        name="minutes_comments",
    ),
]
