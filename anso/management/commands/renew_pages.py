from django.core.management.base import BaseCommand

from anso.caching.tags import bump_everything


class Command(BaseCommand):
    help = (
        "Make every cached public page and per-table count stale, for changes made outside the "
        "site (a restored backup, SQL by hand). Pages render again on their next request."
    )

    def handle(self, *args, **options):
        bump_everything()
        self.stdout.write(self.style.SUCCESS("Every cached page will be rendered again."))
