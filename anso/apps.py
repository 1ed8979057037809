from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks

from anso.background.upkeep import chores_discover


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with an admin site that asks for a second factor (anso/admin.py).

    Apps keep registering their models with `admin.site` / `@admin.register` as usual."""

    default = False
    default_site = "anso.admin.TwoFactorAdminSite"


class AnsoConfig(AppConfig):
    """The project package as an app: wires the signals that renew cached pages
    (anso/caching/tags.py) and collects the upkeep's chores of every app
    (anso/background/upkeep.py)."""

    name = "anso"
    verbose_name = "Mail and imports"  # its models, in the admin: the records of background work
    default = True

    def ready(self):
        from django.contrib import admin

        # The home page's entries for mail and imports (anso/workbench.py).
        from anso import attention  # noqa: F401

        # The worker records' admin registers itself once the admin site exists.
        from anso.background import admin as background_admin  # noqa: F401
        from anso.caching.tags import connect_signals
        from anso.files.downloads import check_file_serving
        from anso.security.encryption import check_visa_data_keys
        from anso.security.login_attempts_admin import register as register_login_attempts_admin

        connect_signals()
        chores_discover()
        register_login_attempts_admin(admin.site)
        checks.register(check_production_safety, checks.Tags.security, deploy=True)
        checks.register(check_file_serving, checks.Tags.files, deploy=True)
        checks.register(check_visa_data_keys, checks.Tags.security, deploy=True)


def check_production_safety(app_configs=None, **kwargs):
    """`check --deploy`: superusers must use two-factor authentication in production."""
    if settings.DEBUG or settings.ADMIN_REQUIRE_OTP:
        return []
    return [
        checks.Warning(
            "ANSO_ADMIN_REQUIRE_OTP is off: superusers can use the admin without a second factor.",
            hint="Unset ANSO_ADMIN_REQUIRE_OTP or set it to true.",
            id="anso.W001",
        )
    ]
