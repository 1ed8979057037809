"""Loads the records of `data` into the database: every row is found by its natural key and
saved only when a value differs, so a second run changes nothing and adds no history.

The records are in English; each translated field gets its Chinese column from `chinese`
(a translation made for the demonstration, marked as such), and the people the report names
their name in the original script where it is known."""

import dataclasses
import datetime

from django.db import models, transaction
from django.utils import timezone
from modeltranslation.translator import translator

from members.models import Body, BodyKind, Organization, Person, Position

from .. import services as meeting_services
from ..attendance.models import Participation, RegistrationWindow
from ..models import Action, ActionProgress, AgendaItem, Decision, Meeting, Session, Speaker
from ..record import services as record_services
from ..record.models import Minutes, MinutesComment, MinutesPart, MinutesState
from . import data
from .chinese import ORIGINAL_NAMES, chinese
from .documents import demo_documents_load
from .records import MeetingRecord, MinutesPartRecord
from .votes import demo_vote_decision, demo_vote_load

#: An action record's owner fields, named by their natural keys.
_ACTION_OWNERS = ("owner_organization", "owner_body", "owner_person")


@dataclasses.dataclass
class DemoResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: The 1st working-group "meeting", the decision endorsing the future actions
    #: ("decision_actions") and the "actions".
    objects: dict = dataclasses.field(default_factory=dict)

    def __str__(self):
        return f"{self.created} records created, {self.updated} updated, {self.unchanged} unchanged"


class _Loader:
    def __init__(self):
        self.result = DemoResult()
        self.organizations: dict[str, Organization] = {}
        self.bodies: dict[BodyKind, Body] = {}
        self.people: dict[str, Person] = {}
        self.actions: dict[str, Action] = {}

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Get the row by `lookup` and bring it to `values`; create it when missing.

        Unlike `update_or_create`, an unchanged row is not saved again."""
        lookup, values = _in_both_languages(model, lookup), _in_both_languages(model, values)
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.result.created += 1
            return obj
        changed = False
        for name, value in values.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                current, wanted = getattr(obj, field.attname), getattr(value, "pk", None)
            else:
                current, wanted = (
                    field.get_prep_value(getattr(obj, name)),
                    field.get_prep_value(value),
                )
            if current != wanted:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.save()
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        return obj

    def organization(self, short_name: str | None) -> Organization | None:
        return self.organizations[short_name] if short_name else None

    def load(self) -> DemoResult:
        for record in data.ORGANIZATIONS:
            values = _values(record, without={"name"})
            values["parent"] = self.organization(record.parent)
            organization = self.upsert(Organization, {"name": record.name}, values)
            self.organizations[record.short_name] = organization
        for record in data.BODIES:
            lookup = {"organization": self.organization(record.organization), "kind": record.kind}
            self.bodies[record.kind] = self.upsert(Body, lookup, {"name": record.name})
        for record in data.PEOPLE:
            values = _values(record, without={"slug"})
            values["organization"] = self.organization(record.organization)
            # example.org never delivers mail.
            values["email"] = f"{record.slug}@example.org" if record.is_sample else ""
            values["name_original"] = ORIGINAL_NAMES.get(record.slug, "")
            self.people[record.slug] = self.upsert(Person, {"slug": record.slug}, values)
        for record in data.POSITIONS:
            # Held in a body or in an organization: the other is empty (a constraint says so).
            lookup = _values(record, without={"appointed_by", "title"})
            lookup |= {
                "person": self.people[record.person],
                "body": self.bodies.get(record.body),
                "organization": self.organization(record.organization),
            }
            values = {"appointed_by": self.organization(record.appointed_by), "title": record.title}
            self.upsert(Position, lookup, values)
        meetings = {record: self.meeting(record) for record in data.MEETINGS}
        self.result.objects["meeting"] = meetings[data.WORKING_GROUP_MEETING]
        self.result.objects["minutes"] = self.minutes(
            meetings[data.WORKING_GROUP_MEETING], data.WORKING_GROUP_MINUTES
        )
        if demo_documents_load(meetings[data.WORKING_GROUP_MEETING]):
            self.result.created += 1
        else:
            self.result.unchanged += 1
        decision = demo_vote_decision(meetings[data.WORKING_GROUP_MEETING])
        if decision is not None and demo_vote_load(decision):
            self.result.created += 1
        else:
            self.result.unchanged += 1
        self.result.objects["actions"] = list(self.actions.values())
        self.progress(meetings[data.WORKING_GROUP_MEETING])
        return self.result

    def progress(self, meeting: Meeting) -> None:
        """The actions' progress notes: reported at `meeting` (the working group's, where each
        action was presented and discussed), or between meetings."""
        for action in data.ACTIONS:
            for note in action.progress:
                lookup = {
                    "action": self.actions[action.title],
                    "date": note.date,
                    "meeting": meeting if note.at_meeting else None,
                }
                self.upsert(ActionProgress, lookup, {"text": note.text})

    def meeting(self, record: MeetingRecord) -> Meeting:
        lookup = {"body": self.bodies[record.body], "number": record.number}
        values = _values(
            record, without={"body", "number", "decisions", "participations", "sessions"}
        )
        meeting = self.upsert(Meeting, lookup, values)
        for order, decision_record in enumerate(record.decisions, start=1):
            decision = self.upsert(
                Decision, {"meeting": meeting, "order": order}, {"text": decision_record.text}
            )
            for action_order, action in enumerate(decision_record.endorses, start=1):
                values = _values(action, without={"title", *_ACTION_OWNERS, "progress"})
                values |= {
                    "order": action_order,
                    "endorsed_by": decision,
                    "owner_organization": self.organization(action.owner_organization),
                    "owner_body": self.bodies.get(action.owner_body),
                    "owner_person": self.people.get(action.owner_person),
                }
                self.actions[action.title] = self.upsert(Action, {"title": action.title}, values)
            if decision_record.endorses:
                self.result.objects["decision_actions"] = decision
        for participation in record.participations:
            person = self.people[participation.person]
            values = _values(participation, without={"person"})
            values |= {"organization": person.organization, "country": person.country}
            self.upsert(Participation, {"meeting": meeting, "person": person}, values)
        for order, session_record in enumerate(record.sessions, start=1):
            values = _values(session_record, without={"items"})
            values["chair"] = self.people.get(session_record.chair)
            session = self.upsert(Session, {"meeting": meeting, "order": order}, values)
            for item_order, item in enumerate(session_record.items, start=1):
                values = _values(item, without={"speaker", "speaker_capacity"})
                values["action"] = self.actions.get(item.action)
                lookup = {"session": session, "order": item_order}
                agenda_item = self.upsert(AgendaItem, lookup, values)
                if item.speaker:
                    lookup = {"item": agenda_item, "person": self.people[item.speaker]}
                    self.upsert(Speaker, lookup, {"capacity": item.speaker_capacity})
        return meeting

    def minutes(self, meeting: Meeting, parts: tuple[MinutesPartRecord, ...]) -> Minutes:
        """The meeting's minutes, written part by part, a revision kept when their text
        changed, and circulated (once) for the members' comments."""
        minutes = self.upsert(Minutes, {"meeting": meeting}, {})
        items = {
            (session_order, order): pk
            for pk, session_order, order in AgendaItem.objects.filter(
                session__meeting=meeting
            ).values_list("pk", "session__order", "order")
        }
        for order, part in enumerate(parts, start=1):
            values = {"heading": part.heading, "text": part.text, "agenda_item": None}
            if part.session:
                values["agenda_item"] = AgendaItem(pk=items[part.session, part.item])
            self.upsert(MinutesPart, {"minutes": minutes, "order": order}, values)
        record_services.minutes_revision_record(minutes=minutes, by=None)
        if minutes.state == MinutesState.DRAFT:
            # Without mail: the demo's sample members have sample addresses.
            minutes = record_services.minutes_circulate(
                minutes=minutes, by=None, mail_members=False
            )
        if minutes.state == MinutesState.CIRCULATED:
            # A member's comment on the first part, waiting for the Secretariat's decision.
            author, text = data.MINUTES_COMMENT
            self.upsert(
                MinutesComment,
                {"part": minutes.parts.order_by("order").first(), "person": self.people[author]},
                {"text": text, "created_at": minutes.circulated_at},
            )
        return minutes


def _in_both_languages(model: type[models.Model], values: dict) -> dict:
    """`values` with each translated field's English text in its English column and the
    Chinese translation, where the demo data has one, in its Chinese column."""
    if model not in translator.get_registered_models():
        return values
    translated = translator.get_options_for_model(model).fields
    out = {}
    for name, value in values.items():
        if name in translated and isinstance(value, str):
            out[f"{name}_en"] = value
            if not (model is Meeting and name == "title"):
                out[f"{name}_zh_hans"] = chinese(value)
        else:
            out[name] = value
    return out


def _values(record, *, without: set[str]) -> dict:
    """The record's fields by name, but those in `without`."""
    return {
        field.name: getattr(record, field.name)
        for field in dataclasses.fields(record)
        if field.name not in without
    }


def demo_load() -> DemoResult:
    """Create or bring up to date the demo records. Safe to run any number of times."""
    with transaction.atomic():
        return _Loader().load()


def registration_demo_load() -> Meeting | None:
    """Create (or leave as is) the upcoming sample meeting and keep its registration open from
    now on. Needs the working group from the main demo data; returns None without it."""
    record = data.UPCOMING_MEETING
    body = Body.objects.filter(kind=record.body).first()
    if body is None:
        return None
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.filter(body=body, number=record.number).first()
        if meeting is None:
            start = today + datetime.timedelta(days=record.starts_in_days)
            values = {"venue": record.venue, "city": record.city, "summary": record.summary}
            meeting = meeting_services.meeting_create(
                meeting=Meeting(
                    body=body,
                    number=record.number,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=record.days - 1),
                    country=record.country,
                    is_published=True,
                    **_in_both_languages(Meeting, values),
                )
            )
        else:
            # A database loaded before the matters arising were added gets them now (once).
            meeting_services.meeting_carry_over(meeting=meeting, by=None)
        window, _ = RegistrationWindow.objects.get_or_create(
            meeting=meeting,
            defaults={
                "opens_at": now - datetime.timedelta(days=1),
                "closes_at": now + datetime.timedelta(days=record.registration_closes_in_days),
                "capacity": record.capacity,
            },
        )
        if not window.is_open(now) and meeting.end_date >= today:
            window.opens_at = now - datetime.timedelta(days=1)
            window.closes_at = max(
                now + datetime.timedelta(days=1),
                timezone.make_aware(
                    datetime.datetime.combine(meeting.start_date, datetime.time(0, 0))
                ),
            )
            window.save()
    return meeting
