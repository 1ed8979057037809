from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.db.models.signals import post_migrate


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with an admin site that asks for a second factor (anso/admin.py).

    Apps keep registering their models with `admin.site` / `@admin.register` as usual."""

    default = False
    default_site = "anso.admin.TwoFactorAdminSite"


class AnsoConfig(AppConfig):
    """The project package as an app: wires the public page cache's invalidation signals."""

    name = "anso"
    verbose_name = "Mail and imports"  # its models, in the admin: the records of background work
    default = True

    def ready(self):
        from django.contrib import admin

        from . import admin_background  # noqa: F401  (once the admin site exists)
        from .login_attempts_admin import register as register_login_attempts_admin
        from .page_cache import connect_signals

        connect_signals()
        register_login_attempts_admin(admin.site)
        # After every migrate, and after the flush that ends each transactional test, the
        # Secretariat group exists with exactly its permissions (members/roles.py).
        post_migrate.connect(ensure_groups, dispatch_uid="anso-ensure-groups")
        checks.register(check_production_safety, checks.Tags.security, deploy=True)


def ensure_groups(sender, apps=global_apps, using="default", **kwargs):
    """Give the Secretariat group exactly SECRETARIAT_PERMISSIONS, once the permissions of
    every app exist: after the post_migrate signal of the last app that has models."""
    from members.roles import SECRETARIAT_GROUP, secretariat_codenames

    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return

    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return
    group, _ = group_model.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    wanted = secretariat_codenames()
    group.permissions.set(
        permission
        for permission in permission_model.objects.using(using).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    )


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
