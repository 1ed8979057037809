"""Writes on people that several parts of the site make.

"Find the person by email, else create them, and fill in what their record lacks" is one rule,
here: the door's walk-ins, the approval of a nomination, the participants' spreadsheet and the
public registration form all go through `person_find_or_create` (or `people_find_or_create`,
its form for a whole file).

- A person is matched by email, whatever its case; a person without an email is always new.
- A new person takes every field given.
- A person found takes only what their record leaves blank (`FILLED_WHEN_BLANK`): what the
  Secretariat typed is never overwritten. The public form fills nothing (`fill_blanks=False`):
  an email typed by a visitor does not prove who is typing.
- The person's history records the creation or the filling, with `reason`.
"""

import dataclasses
from collections.abc import Iterable

from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from anso.caching import tags as cache_tags
from anso.text.slugs import readable_slug

from .models import Organization, Person
from .names import NameOrder


@dataclasses.dataclass(frozen=True)
class PersonDetails:
    """What a form, a nomination or a spreadsheet row says about a person."""

    family_name: str
    email: str = ""
    honorific: str = ""
    given_name: str = ""
    name_order: str = NameOrder.GIVEN_FIRST
    name_original: str = ""
    phone: str = ""
    organization: Organization | None = None
    country: str = ""

    @classmethod
    def of(cls, source) -> "PersonDetails":
        """The details `source` gives (a form's details, a nomination): its attributes of
        these names, where it has them."""
        names = (field.name for field in dataclasses.fields(cls))
        return cls(**{name: getattr(source, name) for name in names if hasattr(source, name)})

    @property
    def email_key(self) -> str:
        """The email as people are matched by it."""
        return self.email.strip().lower()


#: What a person found by email takes from the details where their record has nothing. The
#: family name is never blank; the name order always has a value (its default).
FILLED_WHEN_BLANK = (
    "honorific",
    "given_name",
    "name_original",
    "phone",
    "organization",
    "country",
)


def _person_new(details: PersonDetails) -> Person:
    return Person(
        email=details.email_key,
        **{
            field.name: getattr(details, field.name)
            for field in dataclasses.fields(details)
            if field.name != "email"
        },
    )


def _blanks_fill(person: Person, details: PersonDetails) -> list[str]:
    """Set on `person` what its record lacks and `details` gives; the fields changed."""
    changed = []
    for field in FILLED_WHEN_BLANK:
        value = getattr(details, field)
        if value and not getattr(person, field):
            setattr(person, field, value)
            changed.append(field)
    return changed


def person_find_or_create(
    *, details: PersonDetails, fill_blanks: bool = True, reason: str = ""
) -> Person:
    """The person with this email (any case), their blank fields filled from `details`
    (unless `fill_blanks` is False); else a new person from `details`."""
    email = details.email_key
    person = Person.objects.filter(email__iexact=email).first() if email else None
    if person is None:
        person = _person_new(details)
        person._change_reason = reason or None
        person.save()
        return person
    changed = _blanks_fill(person, details) if fill_blanks else []
    if changed:
        person._change_reason = reason or None
        person.save(update_fields=changed)
    return person


def people_find_or_create(
    *, people: Iterable[PersonDetails], reason: str = ""
) -> dict[str, Person]:
    """`person_find_or_create` for many people in a fixed number of queries (a spreadsheet):
    the people by lower-cased email. Details without an email are left out; for an email
    given twice, the first details count."""
    wanted: dict[str, PersonDetails] = {}
    for details in people:
        if details.email_key:
            wanted.setdefault(details.email_key, details)
    found = {
        person.email_key: person
        for person in Person.objects.annotate(email_key=Lower("email")).filter(
            email_key__in=list(wanted)
        )
    }
    filled, fields = [], set()
    for email, person in found.items():
        changed = _blanks_fill(person, wanted[email])
        if changed:
            filled.append(person)
            fields.update(changed)
    if filled:
        bulk_update_with_history(
            filled, Person, sorted(fields), batch_size=500, default_change_reason=reason or None
        )
        # A bulk write sends no signals (anso/caching/tags.py).
        cache_tags.changed(Person, filled)
    new = [_person_new(details) for email, details in wanted.items() if email not in found]
    if new:
        taken = set(Person.objects.values_list("slug", flat=True))
        for person in new:
            person.slug = _free_slug(person.full_name or person.name_original, taken)
        new = bulk_create_with_history(
            new, Person, batch_size=500, default_change_reason=reason or None
        )
        cache_tags.changed(Person, new, created=True)
    if filled or new:
        cache_tags.changed(Person.history.model)
    return {**found, **{person.email: person for person in new}}


def _free_slug(name: str, taken: set[str]) -> str:
    base = readable_slug(name, max_length=74) or "person"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate
