"""Required fields on the public forms: the label of a required field carries the asterisk,
its control the `required` attribute that assistive technology reads, an optional field
neither, and the form has the legend that says what the asterisk means, in both languages."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meetings.invitations.links import invitation_path
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from members.models import MembershipStatus
from tests.factories import OrganizationFactory, PersonFactory, RegistrationWindowFactory

pytestmark = pytest.mark.django_db

ASTERISK = '<span class="asteriskField">*</span>'


def fields(html: str) -> dict[str, tuple[bool, bool]]:
    """Each labelled control: (its label has the asterisk, the control is said required:
    `aria-required="true"`, which every required control carries, `required` too where the
    browser can check it)."""
    found = {}
    for control_id, label in re.findall(r'<label\s+for="(id_\w+)"[^>]*>(.*?)</label>', html, re.S):
        if re.search(r"_\d+$", control_id):
            continue  # one choice of a group: the group's legend carries the asterisk
        control = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{control_id}"[^>]*>', html)
        assert control, control_id
        required = re.search(r"\srequired[\s>]", control[0]) is not None
        aria_required = 'aria-required="true"' in control[0]
        assert aria_required or not required, control_id
        found[control_id] = (ASTERISK in label, aria_required)
    return found


def public_forms(language: str) -> dict[str, str]:
    window = RegistrationWindowFactory()
    meeting = window.meeting
    kwargs = {"year": meeting.start_date.year, "slug": meeting.slug}
    OrganizationFactory(membership_status=MembershipStatus.MEMBER)
    person = PersonFactory()
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, meeting=meeting, subject_en="Invitation", body_en="{link}"
    )
    declined = MailingRecipient.objects.create(mailing=mailing, person=person, address=person.email)
    Client().post(invitation_path(recipient=declined, meeting=meeting), {"decline": "1"})
    with translation.override(language):
        return {
            "nomination": reverse("members:nomination_create"),
            "registration": reverse("meetings:registration_create", kwargs=kwargs),
            "registration link": reverse("meetings:registration_link_request", kwargs=kwargs),
            "invitation reply": invitation_path(recipient=declined, meeting=meeting),
        }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_public_forms_mark_required_fields_for_eyes_and_assistive_technology(language):
    client = Client()
    pages = public_forms(language)
    legend = "必填" if language == "zh-hans" else "required"
    for name, url in pages.items():
        html = client.get(url, headers={"accept-language": language}).content.decode()
        controls = fields(html)
        assert any(marked for marked, _required in controls.values()), name
        for control_id, (marked, required) in controls.items():
            if control_id == "id_email" and name == "invitation reply":
                continue  # fixed to the invited address: disabled, never required
            assert marked == required, (name, control_id)
        assert f"{ASTERISK} {legend}</p>" in html, name
    # The substitute's form (on the reply page) marks its own required fields too.
    assert 'id="substitute-required-legend"' in html
