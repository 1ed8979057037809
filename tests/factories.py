import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.attendance.models import Participation, ParticipationStatus, RegistrationWindow
from meetings.documents.models import Document, DocumentVersion, Visibility
from meetings.models import Action, ActionProgress, AgendaItem, Decision, Meeting, Session, Speaker
from members.models import (
    Body,
    BodyKind,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Person,
    Position,
    Role,
)
from members.nominations.models import Nomination, NominationKind, NominationStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Institute of Sample Sciences {n}")
    short_name = factory.Sequence(lambda n: f"ISS{n}")
    kind = OrganizationKind.RESEARCH_INSTITUTE
    country = "KE"
    membership_status = MembershipStatus.MEMBER
    joined_on = datetime.date(2018, 11, 4)


class AllianceFactory(OrganizationFactory):
    name = "Alliance of International Science Organizations"
    short_name = "ANSO"
    kind = OrganizationKind.INTERNATIONAL_ORGANIZATION
    country = "CN"
    membership_status = MembershipStatus.NONE
    joined_on = None

    class Meta:
        model = Organization
        django_get_or_create = ("name",)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    honorific = "Dr."
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    organization = factory.SubFactory(OrganizationFactory)
    country = "KE"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("organization", "kind")

    organization = factory.SubFactory(AllianceFactory)
    kind = BodyKind.WORKING_GROUP
    name = factory.LazyAttribute(lambda b: f"ANSO {BodyKind(b.kind).label}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    role = Role.CONTACT_PERSON
    body = factory.SubFactory(BodyFactory)
    appointed_by = factory.LazyAttribute(lambda p: p.person.organization)
    start_date = datetime.date(2019, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2019, 5, 13)
    end_date = datetime.date(2019, 5, 14)
    venue = "Ya'ao International Hotel"
    city = "Beijing"
    country = "CN"
    is_published = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Session {n}")
    chair = factory.SubFactory(PersonFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Future action {n}")


class ActionProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionProgress

    action = factory.SubFactory(ActionFactory)
    date = datetime.date(2020, 5, 13)
    text = factory.Sequence(lambda n: f"Progress reported {n}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Presentation {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    item = factory.SubFactory(AgendaItemFactory)
    person = factory.SubFactory(PersonFactory)
    capacity = "Working-group member"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.LazyAttribute(lambda p: p.person.organization)
    country = factory.LazyAttribute(lambda p: p.person.country)
    status = ParticipationStatus.ATTENDED
    listed_publicly = True


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "To build a working group nominated by each member organization."


class NominationFactory(factory.django.DjangoModelFactory):
    """An open nomination awaiting review (confirmed by its submitter)."""

    class Meta:
        model = Nomination

    organization = factory.SubFactory(OrganizationFactory)
    kind = NominationKind.CONTACT_PERSON
    honorific = "Dr."
    given_name = factory.Sequence(lambda n: f"Nominee{n}")
    family_name = factory.Sequence(lambda n: f"Surname{n}")
    email = factory.Sequence(lambda n: f"nominee{n}@example.org")
    job_title = "Deputy Director, International Cooperation"
    country = "KE"
    consent_to_publish = True
    submitter_name = "Grace Representative"
    submitter_email = factory.Sequence(lambda n: f"representative{n}@example.org")
    submitter_role = "Representative to ANSO"
    status = NominationStatus.AWAITING_REVIEW


class RegistrationWindowFactory(factory.django.DjangoModelFactory):
    """Registration open now (from yesterday to in ten days) for an upcoming meeting."""

    class Meta:
        model = RegistrationWindow

    meeting = factory.SubFactory(
        MeetingFactory,
        start_date=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30)),
        end_date=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=31)),
    )
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    capacity = None


#: The smallest file the upload check takes for a PDF (its signature and an end marker).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A public document on a meeting (or on the `agenda_item` or `session` given, its meeting
    following), without a file: `DocumentVersionFactory` adds one."""

    class Meta:
        model = Document

    agenda_item = None
    session = factory.LazyAttribute(lambda d: d.agenda_item.session if d.agenda_item else None)
    meeting = factory.LazyAttribute(lambda d: d.session.meeting if d.session else MeetingFactory())
    title = factory.Sequence(lambda n: f"Presentation slides {n}")
    visibility = Visibility.PUBLIC


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    """A PDF version of a document, made its latest (as `document_version_add` does, without
    the upload check or the preview)."""

    class Meta:
        model = DocumentVersion
        skip_postgeneration_save = True

    document = factory.SubFactory(DocumentFactory)
    number = factory.LazyAttribute(lambda v: v.document.versions.count() + 1)
    filename = "slides.pdf"
    file = factory.django.FileField(data=PDF_BYTES, filename="slides.pdf")
    size = len(PDF_BYTES)
    content_type = "application/pdf"
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()

    @factory.post_generation
    def latest(version, create, extracted, **kwargs):
        if create:
            Document.objects.filter(pk=version.document_id).update(latest_version=version)
            version.document.latest_version = version
