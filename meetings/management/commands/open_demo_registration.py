from django.core.management.base import BaseCommand

from meetings.demo import registration_demo_load


class Command(BaseCommand):
    help = "Create the upcoming sample meeting with open registration (after load_demo)."

    def handle(self, *args, **options):
        meeting = registration_demo_load()
        if meeting is None:
            self.stdout.write("No working group yet: run load_demo first.")
            return
        self.stdout.write(
            f"Registration is open for the {meeting} at {meeting.get_absolute_url()}register/"
        )
