from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with an admin site that asks for a second factor (anso/admin.py).

    Apps keep registering their models with `admin.site` / `@admin.register` as usual."""

    default = False
    default_site = "anso.admin.TwoFactorAdminSite"


class AnsoConfig(AppConfig):
    """The project package as an app: wires the public page cache's invalidation signals."""

    name = "anso"
    default = True

    def ready(self):
        from .page_cache import connect_signals

        connect_signals()
        checks.register(check_production_safety, checks.Tags.security, deploy=True)


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
