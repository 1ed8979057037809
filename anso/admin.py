"""The admin site: who may enter follows the one staff rule of `anso.security.staff` (active staff;
a confirmed two-factor device, or any superuser where ADMIN_REQUIRE_OTP is on, verified in
this session). Its names follow settings.SITE_NAME; the CSV export is an action of every
list.

Its home page is the Secretariat's workbench: the "needs attention" panel (anso/workbench.py),
the coming meetings (a template tag of `meetings`), and the tables grouped by task (`GROUPS`),
the site's machinery apart, for superusers only."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from anso.admin_tools import export_as_csv
from anso.security.staff import HAS_DEVICE_SESSION_KEY, Access, second_factor_url, staff_access
from anso.workbench import entries_for

__all__ = ["GROUPS", "HAS_DEVICE_SESSION_KEY", "TwoFactorAdminSite"]

#: The home page's groups of tables, in order, each with its tables in order (by model label;
#: naming a model by its label imports nothing). Every registered model is in one group
#: (tests/anso/test_workbench.py); "system", the site's machinery, is for superusers only.
GROUPS = {
    "programme": (
        _("Meetings and programme"),
        [
            "meetings.Meeting",
            "meetings.Session",
            "meetings.AgendaItem",
            "meetings.Speaker",
            "meetings.Document",
            "meetings.DocumentVersion",
        ],
    ),
    "attendance": (
        _("Attendance"),
        ["meetings.Participation", "meetings.RegistrationWindow"],
    ),
    # The papers the Secretariat prints and signs (docs/papers.md).
    "papers": (
        _("Papers"),
        [
            "meetings.Paper",
            "meetings.PaperBatch",
            "meetings.VisaRequest",
            "meetings.Letterhead",
        ],
    ),
    "people": (
        _("People and organizations"),
        [
            "members.Organization",
            "members.Person",
            "members.Position",
            "members.Body",
            "members.Nomination",
        ],
    ),
    "mail": (
        _("Mail"),
        [
            "meetings.Mailing",
            "meetings.MailingRecipient",
            "meetings.RecipientList",
            "anso.OutgoingMail",
        ],
    ),
    "records": (
        _("Records and audit"),
        [
            "meetings.Minutes",
            "meetings.MinutesPart",
            "meetings.MinutesRevision",
            "meetings.MinutesComment",
            "meetings.MattersArising",
            "meetings.Decision",
            "meetings.Vote",
            "meetings.Ballot",
            "meetings.Delegation",
            "meetings.Action",
            "meetings.ActionProgress",
            "meetings.ParticipationEvent",
            "members.NominationEvent",
            "members.Erasure",
            "anso.ImportJob",
            "anso.ExportJob",
        ],
    ),
    "system": (
        _("System"),
        [
            "auth.User",
            "auth.Group",
            "otp_totp.TOTPDevice",
            "axes.AccessAttempt",
            "axes.AccessFailureLog",
            "axes.AccessLog",
            "django_tasks_database.DBTaskResult",
        ],
    ),
}
#: The group shown to superusers only.
SYSTEM_GROUP = "system"
#: Where each model goes, and its place there.
_PLACES = {
    label: (group_index, model_index)
    for group_index, (_name, labels) in enumerate(GROUPS.values())
    for model_index, label in enumerate(labels)
}


class TwoFactorAdminSite(admin.AdminSite):
    # The default site name is a message of the catalogue (anso/context_processors.py).
    site_header = format_lazy(_("{site} administration"), site=_(settings.SITE_NAME))
    site_title = _(settings.SITE_NAME)
    index_title = _("Records kept by the Secretariat")

    def __init__(self, name="admin"):
        super().__init__(name)
        self.add_action(export_as_csv, "export_as_csv")

    def get_app_list(self, request, app_label=None):
        """The tables grouped by task (`GROUPS`). An app's own page (`app_label`) lists that
        app's tables as Django does; a model missing from `GROUPS` goes to "system"."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        keys = list(GROUPS)
        system = keys.index(SYSTEM_GROUP)
        placed: dict[int, list[tuple[int, dict]]] = {}
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                group, order = _PLACES.get(model["model"]._meta.label, (system, len(_PLACES)))
                placed.setdefault(group, []).append((order, model))
        if not request.user.is_superuser:
            placed.pop(system, None)
        return [
            {
                "name": GROUPS[keys[group]][0],
                "app_label": keys[group],
                "app_url": "",
                "has_module_perms": True,
                "models": [model for _order, model in sorted(placed[group], key=_by_order)],
            }
            for group in sorted(placed)
        ]

    def index(self, request, extra_context=None):
        """The home page, with the "needs attention" panel of every app's entries."""
        attention = entries_for(request)
        context = {
            "attention": attention,
            "attention_waiting": any(entry.waiting for entry in attention),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def has_permission(self, request):
        return staff_access(request) is Access.GRANTED

    def login(self, request, extra_context=None):
        """A staff member who signed in but still owes a second factor is sent to verify it,
        or, a superuser without a device, to set one up."""
        if request.method == "GET" and staff_access(request) is Access.SECOND_FACTOR:
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(second_factor_url(request, next_url))
        return super().login(request, extra_context)


def _by_order(placed: tuple[int, dict]) -> tuple[int, str]:
    order, model = placed
    return order, str(model["name"])
