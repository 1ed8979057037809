"""Write the sensitive data kept encrypted again with the newest key (docs/papers.md): run it
after putting a new key first in VISA_DATA_KEYS, then drop the old key. The visa requests'
passport details, and the attachments of mail not yet sent (a visa letter waiting for the
dispatcher holds them too; anso/mail/sending.py rotates those, as the mail is anso's)."""

from django.core.management.base import BaseCommand

from anso.mail.sending import mail_attachments_rotate
from meetings.papers.visa import visa_data_rotate


class Command(BaseCommand):
    help = (
        "Encrypt the visa requests' passport details and the waiting mails' attachments again "
        "with the first of VISA_DATA_KEYS."
    )

    def handle(self, *args, **options):
        count = visa_data_rotate()
        self.stdout.write(f"Visa requests written with the newest key: {count}")
        mails = mail_attachments_rotate()
        self.stdout.write(f"Mails whose attachments were written with the newest key: {mails}")
