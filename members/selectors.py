"""Reads for the public pages about the alliance's members and its working group."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django_countries.fields import Country

from anso.text.languages import language_columns

from .models import Organization, Person, Position, Role


@dataclass
class AppointedGroup:
    """The contact persons one member organization has appointed."""

    organization: Organization
    positions: list[Position] = field(default_factory=list)


@dataclass
class WorkingGroupRoster:
    """One page of the working group on `date`: the page's member organizations with the
    contact persons they appointed, the experts (on the last page only, else empty) and how
    many distinct people were members that day."""

    date: datetime.date
    groups: list[AppointedGroup]
    experts: list[Position]
    member_count: int


def working_group_positions(*, date: datetime.date) -> QuerySet[Position]:
    # Only positions whose holder agreed to be named (a nomination without consent opens an
    # unlisted position).
    return (
        Position.objects.working_group_members(date)
        .listed_publicly()
        .select_related("person", "person__organization", "appointed_by")
    )


def working_group_organizations(*, date: datetime.date) -> QuerySet[Organization]:
    """The organizations that appointed a listed member of the working group on `date`, by
    name: the roster is paged over these, in the query."""
    appointing = working_group_positions(date=date).values("appointed_by")
    return Organization.objects.filter(pk__in=appointing).order_by("name_en", "pk")


def working_group_roster(
    *, date: datetime.date, organizations: Iterable[Organization], experts: bool
) -> WorkingGroupRoster:
    """The roster page of `organizations` (a page of `working_group_organizations`): their
    contact persons in one query, the experts and others sitting in their own name in one more
    where `experts` (the last page), and the members' count in one more. However many
    positions the date has, only the page's are loaded."""
    organizations = list(organizations)
    positions = working_group_positions(date=date)
    appointed = positions.filter(appointed_by__in=organizations).order_by(
        "person__family_name", "person__given_name", "pk"
    )
    by_organization: dict[int, list[Position]] = {org.pk: [] for org in organizations}
    for position in appointed:
        by_organization[position.appointed_by_id].append(position)
    groups = [
        AppointedGroup(organization=org, positions=by_organization[org.pk]) for org in organizations
    ]
    expert_positions = (
        sorted(
            positions.filter(appointed_by__isnull=True),
            key=lambda p: (p.role != Role.CHAIR, p.person.family_name, p.person.given_name),
        )
        if experts
        else []
    )
    member_count = positions.order_by().values("person").distinct().count()
    return WorkingGroupRoster(
        date=date, groups=groups, experts=expert_positions, member_count=member_count
    )


def working_group_member_count(*, date: datetime.date) -> int:
    return Position.objects.working_group_members(date).values("person").distinct().count()


_DIRECTORY_SHOWN = ("id", "name", "short_name", "slug", "kind", "country", "joined_on",
                    "membership_status", *language_columns("name"),
                    *language_columns("short_name"))  # fmt: skip
#: The fields of an organization the directory shows, in the model's order (as
#: `Model.from_db` takes them).
_DIRECTORY_FIELDS = [
    field.attname
    for field in Organization._meta.concrete_fields
    if field.attname in _DIRECTORY_SHOWN
]


class MemberDirectory(Sequence):
    """Current member organizations sorted by the name of their country or region (names,
    not codes, so the order reads right), then by name. The sort needs the names, which the
    database does not hold: the fields the directory shows are read as plain rows (one
    query), each country's name is looked up once, and only the organizations of a slice
    (the page shown) are made into model instances."""

    fields = _DIRECTORY_FIELDS

    def __init__(self):
        rows = list(Organization.objects.current_members().values_list(*self.fields))
        country, name = self.fields.index("country"), self.fields.index("name")
        # A country's name is a translation lookup: once per country, not once per organization.
        names = {code: Country(code=code).name or "~" for code in {row[country] for row in rows}}
        rows.sort(key=lambda row: (names[row[country]], row[name].lower()))
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        db = Organization.objects.db
        return [Organization.from_db(db, self.fields, row) for row in self.rows[index]]


def member_directory() -> MemberDirectory:
    """Current member organizations by the name of their country or region, then by name."""
    return MemberDirectory()


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
        .listed_publicly()
        .filter(appointed_by=organization)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def person_positions(*, person: Person) -> QuerySet[Position]:
    return (
        Position.objects.filter(person=person)
        .listed_publicly()
        .select_related("body", "organization", "appointed_by")
    )
