"""Write the visa requests' passport details again with the newest key (docs/papers.md):
run it after putting a new key first in VISA_DATA_KEYS, then drop the old key."""

from django.core.management.base import BaseCommand

from meetings.papers.visa import visa_data_rotate


class Command(BaseCommand):
    help = "Encrypt the visa requests' passport details again with the first of VISA_DATA_KEYS."

    def handle(self, *args, **options):
        count = visa_data_rotate()
        self.stdout.write(f"Visa requests written with the newest key: {count}")
