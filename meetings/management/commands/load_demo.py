from django.core.management.base import BaseCommand

from meetings.demo import demo_load, registration_demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data: ANSO, its bodies, the 1st ANSO Working Group Meeting (Beijing, "
        "13-14 May 2019) with its programme and attendance. Safe to run again: rows are found "
        "by their natural keys and only changed values are saved."
    )

    def handle(self, *args, **options):
        result = demo_load()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {result}."))
        upcoming = registration_demo_load()
        if upcoming is not None:
            self.stdout.write(f"Registration is open for the {upcoming} (sample data).")
