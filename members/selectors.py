"""Reads for the public pages about the alliance's members and its working group."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Q, QuerySet

from .models import Organization, Person, Position, Role


@dataclass
class AppointedGroup:
    """The contact persons one member organization has appointed."""

    organization: Organization
    positions: list[Position] = field(default_factory=list)


@dataclass
class WorkingGroupRoster:
    date: datetime.date
    groups: list[AppointedGroup]
    experts: list[Position]

    @property
    def member_count(self) -> int:
        """Distinct people in the working group on the date."""
        people = {p.person_id for group in self.groups for p in group.positions}
        people.update(p.person_id for p in self.experts)
        return len(people)


def working_group_positions(*, date: datetime.date) -> QuerySet[Position]:
    return Position.objects.working_group_members(date).select_related(
        "person", "person__organization", "appointed_by"
    )


def working_group_roster(*, date: datetime.date) -> WorkingGroupRoster:
    """Who was in the working group on `date`: contact persons grouped by the member
    organization that appointed them, then the experts and others sitting in their own
    name. One query."""
    positions = list(
        working_group_positions(date=date).order_by(
            "appointed_by__name", "person__family_name", "person__given_name", "pk"
        )
    )
    appointed = [p for p in positions if p.appointed_by_id]
    experts = sorted(
        (p for p in positions if not p.appointed_by_id),
        key=lambda p: (p.role != Role.CHAIR, p.person.family_name, p.person.given_name),
    )
    groups = [
        AppointedGroup(organization=org, positions=list(rows))
        for org, rows in groupby(appointed, key=lambda p: p.appointed_by)
    ]
    return WorkingGroupRoster(date=date, groups=groups, experts=experts)


def working_group_member_count(*, date: datetime.date) -> int:
    return Position.objects.working_group_members(date).values("person").distinct().count()


def member_directory() -> list[Organization]:
    """Current member organizations sorted by the name of their country or region (names,
    not codes, so the order reads right), then by name."""
    organizations = Organization.objects.current_members().only(
        "pk", "name", "short_name", "slug", "kind", "country", "joined_on", "membership_status"
    )
    return sorted(organizations, key=lambda o: (o.country.name or "~", o.name.lower()))


@dataclass(frozen=True)
class KeyFigures:
    member_organizations: int
    countries: int
    working_group_members: int


def key_figures(*, today: datetime.date) -> KeyFigures:
    totals = Organization.objects.current_members().aggregate(
        organizations=Count("pk"),
        countries=Count("country", filter=~Q(country=""), distinct=True),
    )
    return KeyFigures(
        member_organizations=totals["organizations"],
        countries=totals["countries"],
        working_group_members=working_group_member_count(date=today),
    )


def organization_get(*, slug: str) -> Organization:
    return Organization.objects.select_related("parent").get(slug=slug)


def organization_contact_persons(
    *, organization: Organization, date: datetime.date
) -> QuerySet[Position]:
    return (
        Position.objects.working_group_members(date)
        .filter(appointed_by=organization)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def person_positions(*, person: Person) -> QuerySet[Position]:
    return Position.objects.filter(person=person).select_related(
        "body", "organization", "appointed_by"
    )
