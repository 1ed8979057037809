from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from .cache_tags import register_rules

        register_rules()

        # The home page's entries for registrations and invitations (anso/workbench.py).
        from .workbench import attention  # noqa: F401
