"""The entries of `meetings` in the home page's "needs attention" panel (anso/workbench.py):
registrations of coming meetings still to be confirmed, their waiting lists, invitations
to coming meetings nobody has answered yet, visa letters to review, and actions overdue. Each
count is the list its link opens: the same list filters narrow both (`MeetingWhenFilter`,
`InvitationAnswerFilter`, `ActionOverdueFilter`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anso.workbench import changelist_url, register

from ..admin_filters import MeetingWhenFilter
from ..attendance.models import Participation, ParticipationStatus
from ..invitations.admin import InvitationAnswerFilter, RecipientMeetingWhenFilter
from ..invitations.models import MailingRecipient
from ..models import Action
from ..papers.models import VisaRequest, VisaRequestStatus
from ..record.actions.admin import ActionOverdueFilter
from ..record.comment_models import CommentDecision, MinutesComment


def _participations(status: str):
    def count(now) -> int:
        participations = Participation.objects.filter(status=status)
        return MeetingWhenFilter.narrow(
            participations, "coming", today=timezone.localdate(now)
        ).count()

    def url(now) -> str:
        return changelist_url("meetings.Participation", status__exact=status, when="coming")

    return {"count": count, "url": url}


def _unanswered_count(now) -> int:
    recipients = RecipientMeetingWhenFilter.narrow(
        MailingRecipient.objects.all(), "coming", today=timezone.localdate(now)
    )
    return InvitationAnswerFilter.narrow(recipients, "unanswered").count()


register(
    "meetings.registrations_to_confirm",
    label=_("Registrations awaiting a decision"),
    permission="meetings.view_participation",
    **_participations(ParticipationStatus.REGISTERED),
)
register(
    "meetings.waiting_list",
    label=_("On a waiting list"),
    permission="meetings.view_participation",
    **_participations(ParticipationStatus.WAITLISTED),
)
register(
    "meetings.invitations_unanswered",
    label=_("Invitations not yet answered"),
    permission="meetings.view_mailingrecipient",
    count=_unanswered_count,
    url=lambda now: changelist_url(
        "meetings.MailingRecipient", invitation="unanswered", when="coming"
    ),
)
register(
    "meetings.visa_letters_to_review",
    label=_("Visa letters to review"),
    permission="meetings.view_visarequest",
    count=lambda now: VisaRequest.objects.to_review().count(),
    url=lambda now: changelist_url(
        "meetings.VisaRequest", status__exact=VisaRequestStatus.REQUESTED
    ),
)
register(
    "meetings.actions_overdue",
    label=_("Actions overdue"),
    permission="meetings.view_action",
    count=lambda now: ActionOverdueFilter.narrow(
        Action.objects.all(), "yes", today=timezone.localdate(now)
    ).count(),
    url=lambda now: changelist_url("meetings.Action", overdue="yes"),
)

register(
    "meetings.minutes_comments_pending",
    label=_("Comments on the minutes to decide"),
    permission="meetings.view_minutescomment",
    count=lambda now: MinutesComment.objects.pending().count(),
    url=lambda now: changelist_url(
        "meetings.MinutesComment", decision__exact=CommentDecision.PENDING
    ),
)
