"""Public text fields refuse control characters, names are one line (anso/text.py), and no
stored value can break a mail subject."""

import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse

from anso.text import CleanTextFormMixin, one_line
from meetings.attendance import services as meeting_services
from meetings.attendance.forms import RegistrationForm, ReportForm, WalkInForm
from meetings.attendance.models import Participation
from meetings.models import Meeting
from members.nominations import services as member_services
from members.nominations.forms import NominationForm, NominationRejectForm

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
