"""Which cached pages a change of the members' records renews (anso/caching/tags.py).

Tags of one record: `record_tag(Organization, pk)` (its row: every page that names it) and
`organization_page_tag(pk)` (what only its own page shows: its contact persons and the meetings
it attended), `record_tag(Person, pk)` (a person's page); tags of the lists: `ORGANIZATIONS`,
`ROSTER`, `BODIES`. The meetings that show an organization or a person
are added by meetings/cache_tags.py (this package does not know meetings).
"""

from anso.caching.tags import record_tag, register

from .models import Body, Organization, Person, Position
from .nominations.models import Nomination, NominationEvent
from .personal_data.models import Erasure

#: Pages that list organizations: the directory, the working group, the home page's figures,
#: the sitemap.
ORGANIZATIONS = "organizations"
#: Pages that show positions: the working group and the home page's count of its members.
ROSTER = "roster"
#: Pages that name bodies: meeting titles, positions.
BODIES = "bodies"


def organization_page_tag(pk) -> str:
    return f"{record_tag(Organization, pk)}:page"


def organization_tags(organization: Organization, *, created: bool = False):
    yield ORGANIZATIONS
    yield record_tag(Organization, organization.pk)
    if organization.parent_id:
        yield record_tag(Organization, organization.parent_id)
    if not created:
        # Its parts name it as their parent.
        for pk in Organization.objects.filter(parent=organization).values_list("pk", flat=True):
            yield record_tag(Organization, pk)


def person_tags(person: Person, *, created: bool = False):
    yield record_tag(Person, person.pk)
    if created:
        return
    appointed_by = list(
        Position.objects.filter(person=person).values_list("appointed_by_id", flat=True)
    )
    if appointed_by:
        yield ROSTER
    for pk in appointed_by:
        if pk:
            yield organization_page_tag(pk)  # it lists its contact persons


def position_tags(position: Position, *, created: bool = False):
    yield ROSTER
    yield record_tag(Person, position.person_id)
    for pk in (position.appointed_by_id, position.organization_id):
        if pk:
            yield organization_page_tag(pk)


def register_rules() -> None:
    register(Organization, organization_tags)
    register(Person, person_tags)
    register(Position, position_tags)
    register(Body, lambda body, created=False: (BODIES,))
    # Nominations show on no public page until approved, which saves a person and a position.
    register(Nomination)
    register(NominationEvent)
    # The record of an erasure names nobody and shows on no page; the erasure saves the person.
    register(Erasure)
