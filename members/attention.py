"""The entry of `members` in the home page's "needs attention" panel (anso/workbench.py):
nominations whose submitter confirmed them, waiting for the Secretariat's review."""

from django.utils.translation import gettext_lazy as _

from anso.workbench import changelist_url, register

from .nominations.models import Nomination, NominationStatus

register(
    "members.nominations_awaiting_review",
    label=_("Nominations awaiting review"),
    permission="members.view_nomination",
    count=lambda now: Nomination.objects.filter(status=NominationStatus.AWAITING_REVIEW).count(),
    url=lambda now: changelist_url(
        "members.Nomination", status__exact=NominationStatus.AWAITING_REVIEW
    ),
)
