import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.roles import SECRETARIAT_GROUP

USERNAME = "secretariat"


class Command(BaseCommand):
    help = (
        "Create or reset the demo Secretariat login (staff, in the Secretariat group) with a "
        "fresh random password, and print it. Local development only: refused when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/admin/",
            help="The admin address to print (default: %(default)s).",
        )

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_login is for local development and refuses to run with DEBUG off. "
                "Create real accounts with `manage.py createsuperuser` or in the admin."
            )
        try:
            group = Group.objects.get(name=SECRETARIAT_GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(
                f"The {SECRETARIAT_GROUP} group is missing: run `manage.py migrate` first."
            ) from exc
        password = secrets.token_urlsafe(12)
        User = get_user_model()
        with transaction.atomic():
            user, _ = User.objects.get_or_create(username=USERNAME)
            user.is_staff = True
            user.is_superuser = False
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS("Demo Secretariat login (local use only):")
            + f"\n  URL:      {url}\n  username: {USERNAME}\n  password: {password}\n"
        )
