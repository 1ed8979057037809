from django.urls import include, path, register_converter

from anso.converters import YearConverter

from . import views
from .papers import views as papers_views
from .record import comments_views
from .record.votes import views as votes_views
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
    # Votes on decisions: the public result once closed, the contact person's ballot page
    path(
        f"{meeting}decisions/<int:order>/vote/",
        votes_views.VoteResultView.as_view(),
        name="vote_result",
    ),
    path("votes/<str:token>/", votes_views.BallotView.as_view(), name="ballot"),
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
    # Batches of papers made by the worker, with their progress (meetings/papers/batches.py)
    path(
        f"{meeting}papers/batches/",
        papers_views.PaperBatchCreateView.as_view(),
        name="paper_batch_create",
    ),
    path(
        f"{meeting}papers/batches/<int:pk>/",
        papers_views.PaperBatchView.as_view(),
        name="paper_batch",
    ),
    path(
        f"{meeting}papers/batches/<int:pk>/status.json",
        papers_views.PaperBatchStatusView.as_view(),
        name="paper_batch_status",
    ),
    path(
        f"{meeting}papers/batches/<int:pk>/file/",
        papers_views.PaperBatchDownloadView.as_view(),
        name="paper_batch_download",
    ),
    path(
        f"{meeting}papers/batches/<int:pk>/retry/",
        papers_views.PaperBatchRetryView.as_view(),
        name="paper_batch_retry",
    ),
    # A member's comments on the circulated minutes, from their personal link
    path(
        f"{meeting}minutes/comments/<str:token>/",
        comments_views.MinutesCommentView.as_view(),
        name="minutes_comments",
    ),
]
