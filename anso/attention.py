"""The entries of `anso` in the home page's "needs attention" panel (anso/workbench.py): mail
the server refused for good, and spreadsheet imports that failed or are stuck."""

from django.utils.translation import gettext_lazy as _

from anso.models import ImportJob, OutgoingMail, OutgoingMailStatus
from anso.workbench import changelist_url, register

register(
    "anso.mails_failed",
    label=_("Mails that failed"),
    permission="anso.view_outgoingmail",
    count=lambda now: OutgoingMail.objects.filter(status=OutgoingMailStatus.FAILED).count(),
    url=lambda now: changelist_url("anso.OutgoingMail", status__exact=OutgoingMailStatus.FAILED),
)
register(
    "anso.imports_failed_or_stuck",
    label=_("Spreadsheet imports failed or stuck"),
    permission="anso.view_importjob",
    count=lambda now: ImportJob.objects.needing_attention(now).count(),
    url=lambda now: changelist_url("anso.ImportJob", attention="yes"),
)
