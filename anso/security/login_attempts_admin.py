"""The admin of django-axes' failed sign-in records, with a way to unlock an account.

Registered from AnsoConfig.ready(), after admin autodiscovery has registered axes' own
admin, which this one replaces."""

import logging

from axes import admin as axes_admin
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Failed sign-ins, with an action that unlocks the accounts of the selected records:
    every record of those usernames, from every address, is removed, which lifts both the
    lockout per address and the one per account (anso/security/auth_backends.py)."""

    actions = [*axes_admin.AccessAttemptAdmin.actions, "unlock_accounts"]

    @admin.action(
        description=_("Unlock sign-in for the usernames of the selected attempts"),
        permissions=["delete"],
    )
    def unlock_accounts(self, request, queryset):
        usernames = sorted(set(queryset.exclude(username=None).values_list("username", flat=True)))
        with transaction.atomic():
            for username in usernames:
                axes_reset(username=username)
        logger.info("Sign-in unlocked for %s by %s", ", ".join(usernames), request.user)
        self.message_user(
            request,
            _("Sign-in unlocked for %(usernames)s.") % {"usernames": ", ".join(usernames)},
            messages.SUCCESS,
        )


def register(site: admin.AdminSite) -> None:
    if site.is_registered(AccessAttempt):
        site.unregister(AccessAttempt)
        site.register(AccessAttempt, AccessAttemptAdmin)
