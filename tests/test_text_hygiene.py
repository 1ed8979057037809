"""Public text fields refuse control characters, names are one line (anso/text/hygiene.py), and no
stored value can break a mail subject."""

import importlib
import inspect

import pytest
import tablib
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models as dj_models
from django.urls import reverse

from anso.text.hygiene import CleanTextFormMixin, OneLineCharField, one_line
from meetings.attendance import services as meeting_services
from meetings.attendance.forms import RegistrationForm, ReportForm, WalkInForm
from meetings.attendance.models import Participation
from meetings.models import Meeting
from members.models import Person
from members.nominations import services as member_services
from members.nominations.forms import NominationForm, NominationRejectForm
from members.resources import PersonResource

from .admin_helpers import admin_post, form_errors
from .factories import OrganizationFactory, RegistrationWindowFactory
from .members.test_nomination_services import submit_data

pytestmark = pytest.mark.django_db

#: Modules whose forms take text from people (the public site and the Secretariat's pages).
FORM_MODULES = ["meetings.attendance.forms", "members.forms", "members.nominations.forms"]


def _forms_with_text():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(form_class, forms.BaseForm)
                and form_class.__module__ == name
                and any(isinstance(f, forms.CharField) for f in form_class.base_fields.values())
            ):
                yield pytest.param(form_class, id=form_class.__name__)


@pytest.mark.parametrize("form_class", list(_forms_with_text()))
def test_every_form_with_text_refuses_control_characters(form_class):
    assert issubclass(form_class, CleanTextFormMixin)


@pytest.mark.parametrize(
    "form_class", [RegistrationForm, WalkInForm, NominationForm, ReportForm, NominationRejectForm]
)
@pytest.mark.parametrize("bad", ["\x01", "\x0b", "\x1f", "\x7f", "\x85"])
def test_every_text_field_refuses_control_characters(form_class, bad):
    text_fields = [
        name for name, f in form_class.base_fields.items() if isinstance(f, forms.CharField)
    ]
    assert text_fields
    for name in text_fields:
        form = form_class(data={name: f"Amina{bad}Okafor"})
        form.is_valid()
        messages = " ".join(form.errors.get(name, []))
        assert "control characters" in messages or "invisible characters" in messages, name


@pytest.mark.parametrize("bad", ["\n", "\r", "\u2028"])
def test_names_are_one_line_and_text_areas_are_not(bad):
    form = RegistrationForm(data={"family_name": f"Okafor{bad}Bcc: x"})
    form.is_valid()
    assert "Enter one line of plain text" in " ".join(form.errors["family_name"])
    report = ReportForm(data={"text": f"First line{bad}second line"})
    assert report.is_valid(), report.errors


def test_registration_with_a_control_character_is_refused(client):
    window = RegistrationWindowFactory()
    url = reverse(
        "meetings:registration_create",
        kwargs={"year": window.meeting.start_date.year, "slug": window.meeting.slug},
    )
    response = client.post(
        url,
        {
            "given_name": "Amina",
            "family_name": "=HYPERLINK(\x01)",
            "email": "amina@example.org",
            "organization_name": "Lagos Institute",
            "country": "NG",
            "capacity": "delegate",
        },
    )
    assert response.status_code == 400
    assert "invisible characters" in response.content.decode()
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amina\x0bOkafor", "Amina Okafor"),
        ("Amina\r\nBcc: evil@example.org", "Amina Bcc: evil@example.org"),
        ("  Amina \x01\x00 Okafor\u2028", "Amina Okafor"),
        ("Registration confirmed: Meeting", "Registration confirmed: Meeting"),
    ],
)
def test_one_line(text, expected):
    assert one_line(text) == expected


def test_nomination_mail_subject_is_one_line_whatever_the_stored_name(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A name stored before control characters were refused still gets its mail."""
    data = submit_data(OrganizationFactory(), given_name="Amina\x0b", family_name="Otieno\nX")
    with django_capture_on_commit_callbacks(execute=True):
        member_services.nomination_submit(details=data, client_address="203.0.113.9")
    (mail,) = mailoutbox
    assert mail.subject == "Please confirm the nomination of Prof. Amina Otieno X"
    mail.message().as_bytes()


def test_registration_mail_subject_is_one_line_whatever_the_meeting_title(
    mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory()
    Meeting.objects.filter(pk=window.meeting.pk).update(title="Third\x0bmeeting\nof the group")
    window.meeting.refresh_from_db()
    details = meeting_services.RegistrantDetails(
        given_name="Amina",
        family_name="Okafor",
        email="amina@example.org",
        country="NG",
        organization_name="Lagos Institute",
        capacity="delegate",
        listed_publicly=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.registration_submit(meeting=window.meeting, details=details)
    (mail,) = mailoutbox
    assert "\n" not in mail.subject and "\x0b" not in mail.subject
    assert mail.subject.endswith("Third meeting of the group")


# The model's fields: every way in ------------------------------------------------------------

#: Text the site writes itself (keys, hashes, file facts, the services' notes), or with rules
#: of its own (email, URL, slug, choices): not the one-line rule of what a person types.
WRITTEN_BY_THE_SITE = {
    "Nomination.submitter_ip_hash",
    "NominationEvent.note",
    "ParticipationEvent.note",
    "Participation.manage_key",
    "RegistrationWindow.invitation_token",
    "DocumentVersion.filename",
    "DocumentVersion.content_type",
    "DocumentVersion.sha256",
    "DocumentVersion.preview_error",
    "Mailing.recipients_label",
    "Mailing.submission_key",
    "MailingRecipient.key",
}


def _typed_text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in ("members", "meetings") or model.__name__.startswith(
            "Historical"
        ):
            continue
        for field in model._meta.concrete_fields:
            if (
                type(field) in (dj_models.CharField, OneLineCharField)
                or isinstance(field, OneLineCharField)
            ) and not field.choices:
                name = f"{model.__name__}.{field.name}"
                if name not in WRITTEN_BY_THE_SITE:
                    yield pytest.param(field, id=name)


@pytest.mark.parametrize("field", list(_typed_text_fields()))
def test_every_typed_one_line_field_of_the_models_refuses_line_breaks(field):
    """Names, titles, addresses, subjects: the rule is the field's, so the admin, model forms
    and imports all get it, not only the public forms."""
    assert isinstance(field, OneLineCharField)
    with pytest.raises(ValidationError):
        field.run_validators("Eve\r\nBcc: x")


def test_the_admins_person_form_refuses_a_name_with_a_line_break(secretariat_client):
    data = {
        "honorific": "",
        "given_name": "Eve\r\nBcc: evil@example.org",
        "family_name": "Sample",
        "name_order": "given_first",
        "slug": "",
        "email": "",
        "phone": "",
        "organization": "",
        "country": "",
    }
    response = admin_post(secretariat_client, reverse("admin:members_person_add"), data)
    assert form_errors(response)["given_name"] == [
        "Enter one line of plain text, without line breaks or invisible characters."
    ]
    assert not Person.objects.exists()


def test_an_import_row_with_a_line_break_in_a_name_is_refused():
    data = tablib.Dataset(headers=["honorific", "given_name", "family_name", "email", "country"])
    data.append(["", "Eve\r\nBcc: x", "Sample", "eve@example.org", "KE"])
    result = PersonResource().import_data(data, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not Person.objects.exists()
