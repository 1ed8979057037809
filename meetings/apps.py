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
        # `check --deploy`: production signs its papers with its own key (docs/papers.md).
        from django.core import checks

        from .papers.signing import check_signing_key
        from .workbench import attention  # noqa: F401

        checks.register(check_signing_key, checks.Tags.security, deploy=True)

        # Participations, invitations and comments on minutes in a person's data and their
        # erasure (members).
        from .attendance.personal_data import register as personal_data_register
        from .record.personal_data import register as record_personal_data_register

        personal_data_register()
        record_personal_data_register()
