from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


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
