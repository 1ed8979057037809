"""What django-post-office does with refused recipients, against a real SMTP server (aiosmtpd)
that refuses one address with a permanent 550. Not part of the suite: post-office needs its
own app and tables. See docs/architecture.md, "What we wrote ourselves, and why".

    .venv/bin/pip install django-post-office
    .venv/bin/python bench/post_office_refusals.py

Prints, for each mail, its status, retries and the log post-office kept, and what the server
accepted.
"""

import sys
from pathlib import Path

import django
from django.conf import settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.anso.smtp import Inbox, free_port, smtp_server

PORT = free_port()
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "post_office"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=PORT,
    POST_OFFICE={"MAX_RETRIES": 3},
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    USE_TZ=True,
)
django.setup()

from django.core.management import call_command  # noqa: E402
from post_office import mail  # noqa: E402
from post_office.models import Email  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    inbox = Inbox(refuse_only={"gone@example.org": "550 5.1.1 No such user"})
    sender = "noreply@example.org"
    with smtp_server(PORT, inbox):
        mail.send(["ok@example.org", "gone@example.org"], sender, subject="One of two refused")
        mail.send(["gone@example.org"], sender, subject="Its only recipient refused")
        print("send_queued() -> (sent, failed, requeued):", mail.send_queued())
    for email in Email.objects.order_by("id"):
        logs = [(log.get_status_display(), log.exception_type) for log in email.logs.all()]
        print(
            f"{email.subject!r} to {email.to}: {email.get_status_display()},"
            f" retries {email.number_of_retries}, log {logs}"
        )
    print(
        "accepted by the server:",
        [(m["Subject"], to) for m, to in zip(inbox.messages, inbox.envelopes, strict=True)],
    )


if __name__ == "__main__":
    main()
