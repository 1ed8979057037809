from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"
    verbose_name = _("Members and bodies")

    def ready(self):
        from .cache_tags import register_rules
        from .roles import ensure_groups

        register_rules()

        from anso.mail.sending import mail_refused

        # The home page's entry for nominations (anso/workbench.py).
        from . import attention  # noqa: F401
        from .bounces import person_email_mark_doubtful

        # A mail server refused an address for good: the person's address is marked doubtful.
        mail_refused.connect(person_email_mark_doubtful, dispatch_uid="members-email-doubtful")

        # After every migrate, and after the flush that ends each transactional test, the
        # Secretariat group exists with exactly its permissions (members/roles.py).
        post_migrate.connect(ensure_groups, dispatch_uid="members-ensure-groups")
