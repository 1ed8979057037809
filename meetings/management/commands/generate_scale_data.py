"""Build a large, realistic data set quickly (bulk inserts) for benchmarks.

By default (scale 1): 2,000 organizations, 100,000 people, 1,000 meetings with 10 sessions
each (two agenda items and a speaker per session), 300,000 participations (one meeting has
1,000 participants), 2,000 working-group positions, 2,000 decisions, 60 actions and, where the
nomination model exists, 5,000 nominations. `--scale 0.01` builds a hundredth of that. At any
scale, two more published meetings carry long programmes: 200 and 1,000 agenda items, each
item with two speakers (the programme pages of the benchmark).

Bulk inserts bypass model signals, so no history rows are written for this data; the public
page cache is invalidated once at the end. On PostgreSQL the tables are then analyzed, as
autovacuum would have done long ago on a database of that size: without statistics the
planner takes a table of 100,000 rows for one of a few thousand.
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from anso.caching.tags import bump_everything
from members.models import (
    Body,
    BodyKind,
    MembershipStatus,
    NameOrder,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Role,
)
from members.nominations.models import Nomination

from ...attendance.models import Capacity, Participation, ParticipationStatus
from ...models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemKind,
    Decision,
    Meeting,
    Session,
    Speaker,
    meeting_title,
)

PREFIX = "Scale"
COUNTRIES = ["CN", "KE", "PK", "RU", "TH", "BR", "ZA", "IT", "NP", "LK", "MN", "KZ", "EG", "GH"]
GIVEN = ["Amina", "Bo", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hui", "Ivan", "Jia"]
FAMILY = ["Li", "Wang", "Okafor", "Khan", "Petrov", "Silva", "Mensah", "Zhang", "Rossi", "Ali"]
BATCH = 5000
#: Agenda items of the two meetings with long programmes, at any scale.
PROGRAMME_SIZES = (200, 1000)


class Command(BaseCommand):
    help = "Generate a large data set for benchmarks (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = full size, 0.01 = 1%%")
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args, scale, seed, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if Organization.objects.filter(name__startswith=f"{PREFIX} Organization").exists():
            raise CommandError("Scale data is already in this database; use a fresh database.")
        self.rng = random.Random(seed)  # noqa: S311 (invented data, not secrets)
        self.scale = scale
        started = time.monotonic()
        with transaction.atomic():
            counts = self._generate()
        bump_everything()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, count in counts.items():
            self.stdout.write(f"{name:>16}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def n(self, full: int) -> int:
        return max(1, round(full * self.scale))

    def _generate(self) -> dict[str, int]:
        rng = self.rng
        alliance, _ = Organization.objects.get_or_create(
            name="Alliance of International Science Organizations",
            defaults={"short_name": "ANSO", "kind": OrganizationKind.INTERNATIONAL_ORGANIZATION},
        )
        bodies = {}
        for kind in (BodyKind.GENERAL_ASSEMBLY, BodyKind.GOVERNING_BOARD, BodyKind.WORKING_GROUP):
            bodies[kind], _ = Body.objects.get_or_create(
                organization=alliance, kind=kind, defaults={"name": f"ANSO {kind.label}"}
            )

        # Organizations
        n_orgs = self.n(2000)
        organizations = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"{PREFIX} Organization {i:05d}",
                    short_name=f"SO{i}",
                    slug=f"scale-organization-{i}",
                    kind=rng.choice(OrganizationKind.values),
                    country=rng.choice(COUNTRIES),
                    membership_status=(
                        MembershipStatus.MEMBER if i % 5 else MembershipStatus.PARTNER
                    ),
                    joined_on=datetime.date(2018, 11, 4) + datetime.timedelta(days=i % 2000),
                    is_sample=True,
                )
                for i in range(n_orgs)
            ],
            batch_size=BATCH,
        )

        # People
        n_people = self.n(100_000)
        people = Person.objects.bulk_create(
            [
                Person(
                    honorific=rng.choice(["Prof.", "Dr.", "Ms.", "Mr.", ""]),
                    given_name=f"{GIVEN[i % 10]}",
                    family_name=f"{FAMILY[(i // 10) % 10]} {i:06d}",
                    name_order=NameOrder.GIVEN_FIRST if i % 3 else NameOrder.FAMILY_FIRST,
                    slug=f"scale-person-{i}",
                    email=f"scale.person{i}@example.org",
                    organization=organizations[i % n_orgs],
                    country=rng.choice(COUNTRIES),
                    is_sample=True,
                )
                for i in range(n_people)
            ],
            batch_size=BATCH,
        )

        # Working-group contact persons: one per organization.
        positions = Position.objects.bulk_create(
            [
                Position(
                    person=people[i],
                    role=Role.CONTACT_PERSON,
                    body=bodies[BodyKind.WORKING_GROUP],
                    appointed_by=organizations[i % n_orgs],
                    start_date=datetime.date(2019, 1, 1) + datetime.timedelta(days=i % 900),
                    end_date=None if i % 7 else datetime.date(2024, 12, 31),
                )
                for i in range(min(n_orgs, n_people))
            ],
            batch_size=BATCH,
        )

        # Meetings: numbered per body, after any that exist.
        n_meetings = self.n(1000)
        next_number = {
            kind: (Meeting.objects.filter(body=body).aggregate(m=Max("number"))["m"] or 0) + 1
            for kind, body in bodies.items()
        }
        kinds = [BodyKind.WORKING_GROUP, BodyKind.WORKING_GROUP, BodyKind.GOVERNING_BOARD]
        meetings = []
        for i in range(n_meetings):
            kind = kinds[i % 3] if i % 20 else BodyKind.GENERAL_ASSEMBLY
            body = bodies[kind]
            number = next_number[kind]
            next_number[kind] += 1
            title = meeting_title(body, number)
            # Spread over 2019-2043 at any scale, so some meetings are still to come.
            start = datetime.date(2019, 5, 13) + datetime.timedelta(days=i * 9000 // n_meetings)
            meetings.append(
                Meeting(
                    body=body,
                    number=number,
                    title=title,
                    slug=f"scale-{kind.replace('_', '-')}-{number}",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=i % 3),
                    venue="Conference Centre",
                    city=rng.choice(["Beijing", "Nairobi", "Islamabad", "Moscow", "Bangkok"]),
                    country=rng.choice(COUNTRIES),
                    summary="A meeting generated for the benchmark.",
                    is_published=bool(i % 10),
                )
            )
        meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        published = [m for m in meetings if m.is_published]

        sessions = Session.objects.bulk_create(
            [
                Session(
                    meeting=meeting,
                    order=order,
                    title=f"Session {order}",
                    date=meeting.start_date,
                    chair=people[(meeting.pk * 10 + order) % n_people],
                )
                for meeting in meetings
                for order in range(1, 11)
            ],
            batch_size=BATCH,
        )
        n_actions = self.n(60)
        actions = Action.objects.bulk_create(
            [
                Action(
                    order=i + 1,
                    title=f"{PREFIX} future action {i:03d}",
                    slug=f"scale-future-action-{i}",
                    description="An action of the plan, generated for the benchmark.",
                    status=rng.choice(ActionStatus.values),
                )
                for i in range(n_actions)
            ]
        )
        items = AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    session=session,
                    order=order,
                    kind=AgendaItemKind.PRESENTATION if order == 1 else AgendaItemKind.DISCUSSION,
                    title=f"Item {order} of {session.title}",
                    action=actions[session.pk % n_actions] if order == 1 else None,
                )
                for session in sessions
                for order in (1, 2)
            ],
            batch_size=BATCH,
        )
        speakers = Speaker.objects.bulk_create(
            [
                Speaker(item=item, person=people[(item.pk * 7) % n_people], capacity="Speaker")
                for item in items
                if item.order == 1
            ],
            batch_size=BATCH,
        )
        decisions = Decision.objects.bulk_create(
            [
                Decision(meeting=meeting, order=order, text=f"Decision {order}.")
                for meeting in meetings
                for order in (1, 2)
            ],
            batch_size=BATCH,
        )

        # Participations: the first published meeting has 1,000 participants (capped by the
        # number of people), the rest share the remainder.
        n_participations = self.n(300_000)
        big = min(1000, n_people, n_participations)
        big_index = meetings.index(published[0]) if published else 0
        per_meeting = [0] * len(meetings)
        per_meeting[big_index] = big
        others = [i for i in range(len(meetings)) if i != big_index]
        for k in range(n_participations - big if others else 0):
            per_meeting[others[k % len(others)]] += 1
        statuses = ParticipationStatus.values
        capacities = Capacity.values
        total = 0
        batch = []
        for meeting, count in zip(meetings, per_meeting, strict=True):
            for person_index in rng.sample(range(n_people), min(count, n_people)):
                person = people[person_index]
                batch.append(
                    Participation(
                        meeting=meeting,
                        person=person,
                        organization_id=person.organization_id,
                        country=person.country,
                        capacity=rng.choice(capacities),
                        status=rng.choice(statuses),
                        listed_publicly=person_index % 4 != 0,
                    )
                )
            if len(batch) >= BATCH:
                Participation.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        Participation.objects.bulk_create(batch)
        total += len(batch)

        counts = {
            "organizations": len(organizations),
            "people": len(people),
            "positions": len(positions),
            "meetings": len(meetings),
            "sessions": len(sessions),
            "agenda items": len(items),
            "speakers": len(speakers),
            "decisions": len(decisions),
            "actions": len(actions),
            "participations": total,
        }
        programme_items, programme_speakers = self._programmes(
            bodies[BodyKind.WORKING_GROUP], next_number, people, actions
        )
        counts["agenda items"] += programme_items
        counts["speakers"] += programme_speakers
        counts["nominations"] = self._nominations(organizations)
        return counts

    def _programmes(self, body, next_number, people, actions) -> tuple[int, int]:
        """Two published meetings with long programmes (PROGRAMME_SIZES agenda items, in
        sessions of 20), each item with two speakers, a description on every other item and an
        action of the plan on every tenth."""
        n_items = n_speakers = 0
        for size in PROGRAMME_SIZES:
            number = next_number[BodyKind.WORKING_GROUP]
            next_number[BodyKind.WORKING_GROUP] += 1
            start = datetime.date(2026, 3, 9)
            meeting = Meeting.objects.create(
                body=body,
                number=number,
                title=f"{meeting_title(body, number)} ({size} agenda items)",
                slug=f"scale-programme-{size}",
                start_date=start,
                end_date=start + datetime.timedelta(days=4),
                venue="Conference Centre",
                city="Beijing",
                country="CN",
                summary="A meeting with a long programme, generated for the benchmark.",
                is_published=True,
            )
            sessions = Session.objects.bulk_create(
                [
                    Session(
                        meeting=meeting,
                        order=order,
                        title=f"Session {order}",
                        date=start + datetime.timedelta(days=order % 5),
                        start_time=datetime.time(9 + order % 8),
                        end_time=datetime.time(10 + order % 8),
                        chair=people[(size + order) % len(people)],
                        chair_capacity="Chair of the working group",
                    )
                    for order in range(1, size // 20 + 1)
                ]
            )
            items = AgendaItem.objects.bulk_create(
                [
                    AgendaItem(
                        session=session,
                        order=order,
                        kind=(
                            AgendaItemKind.PRESENTATION if order % 2 else AgendaItemKind.DISCUSSION
                        ),
                        title=f"Item {order} of {session.title}",
                        description="" if order % 2 else "Points raised.\n\nNext steps agreed.",
                        action=actions[(session.order + order) % len(actions)]
                        if order % 10 == 1
                        else None,
                    )
                    for session in sessions
                    for order in range(1, 21)
                ],
                batch_size=BATCH,
            )
            speakers = Speaker.objects.bulk_create(
                [
                    Speaker(
                        item=item,
                        person=people[(item.pk * 7 + k) % len(people)],
                        order=k + 1,
                        capacity="Speaker" if k else "",
                    )
                    for item in items
                    for k in (0, 1)
                ],
                batch_size=BATCH,
            )
            n_items += len(items)
            n_speakers += len(speakers)
        return n_items, n_speakers

    def _nominations(self, organizations) -> int:
        rng = self.rng
        # Approved nominations need a person and a position; the others stand on their own.
        statuses = [
            choice
            for choice, _label in Nomination._meta.get_field("status").choices
            if choice != "approved"
        ]
        now = timezone.now()
        n = self.n(5000)
        Nomination.objects.bulk_create(
            [
                Nomination(
                    organization=organizations[i % len(organizations)],
                    given_name=GIVEN[i % 10],
                    family_name=f"Nominee {i:05d}",
                    email=f"scale.nominee{i}@example.org",
                    job_title="Deputy Director",
                    country=rng.choice(COUNTRIES),
                    submitter_name="Scale Submitter",
                    submitter_email=f"scale.submitter{i}@example.org",
                    submitter_role="Representative",
                    status=statuses[i % len(statuses)],
                    reason="Generated for the benchmark.",
                    reviewed_at=now if statuses[i % len(statuses)] == "rejected" else None,
                )
                for i in range(n)
            ],
            batch_size=BATCH,
        )
        return n
