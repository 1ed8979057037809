"""Mails in the recipient's language: the language of the form they used is remembered on
the registration or the nomination, and every later mail to them (links included) uses it,
whatever language the Secretariat works in."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from meetings.attendance import services as attendance
from meetings.attendance.models import Participation
from members.nominations import services as nominations
from members.nominations.models import Nomination
from tests.factories import BodyFactory, OrganizationFactory, RegistrationWindowFactory, UserFactory

pytestmark = pytest.mark.django_db


def registration_form(**overrides) -> dict:
    return {
        "honorific": "",
        "given_name": "Jinghua",
        "family_name": "Cao",
        "email": "cao@example.org",
        "phone": "",
        "organization": "",
        "organization_name": "Institute of Sample Studies",
        "country": "CN",
        "capacity": "delegate",
        "listed_publicly": "on",
        **overrides,
    }


def test_a_registration_in_chinese_is_confirmed_in_chinese(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = RegistrationWindowFactory().meeting
    with translation.override("zh-hans"):
        url = reverse(
            "meetings:registration_create",
            kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, registration_form())
    assert response.status_code == 302
    assert Participation.objects.get().language == "zh-hans"
    (mail,) = mailoutbox
    assert mail.subject.startswith("注册确认：")
    assert "尊敬的" in mail.body
    assert (
        f"{settings.SITE_URL}/zh-hans/meetings/{meeting.start_date.year}/{meeting.slug}/"
        in mail.body
    )
    assert "Dear" not in mail.body


def test_an_english_registration_stays_english_when_promoted_by_chinese_staff(
    mailoutbox, django_capture_on_commit_callbacks
):
    window = RegistrationWindowFactory(capacity=1, waiting_list=True)
    first = attendance.registration_submit(
        meeting=window.meeting,
        details=attendance.RegistrantDetails(
            given_name="Li",
            family_name="Yin",
            email="li@example.org",
            country="CN",
            organization_name="X",
            capacity="delegate",
            listed_publicly=False,
        ),
        language="zh-hans",
    )
    waiting = attendance.registration_submit(
        meeting=window.meeting,
        details=attendance.RegistrantDetails(
            given_name="Amina", family_name="Okafor", email="amina@example.org", country="NG",
            organization_name="Y", capacity="delegate", listed_publicly=False,
        ),
        language="en",
    )  # fmt: skip
    assert waiting.participation.status == "waitlisted"
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        attendance.registration_cancel(participation=first.participation)
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert mails["li@example.org"].subject.startswith("注册已取消")
    promoted = mails["amina@example.org"]
    assert promoted.subject.startswith("Registration confirmed:")
    assert f"{settings.SITE_URL}/en/meetings/" in promoted.body


def test_nomination_mails_follow_the_submitters_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    BodyFactory()  # the Working Group
    details = nominations.NominationDetails(
        organization=OrganizationFactory(), kind="contact_person", honorific="",
        given_name="Jinghua", family_name="Cao", name_order="family_first",
        email="cao@example.org", job_title="", country="CN", phone="", replaces=None,
        consent_to_publish=True, submitter_name="Wang Li", submitter_email="wang@example.org",
        submitter_role="",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominations.nomination_submit(details=details, language="zh-hans")
    assert Nomination.objects.get().language == "zh-hans"
    (confirm,) = mailoutbox
    assert confirm.subject.startswith("请确认对")
    token = re.search(r"/zh-hans/working-group/nominate/confirm/([^/\s]+)/", confirm.body)[1]
    assert nominations.nomination_from_token(token=token).nomination == nomination
    nominations.nomination_confirm(nomination=nomination)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        nominations.nomination_approve(nomination=nomination, reviewer=UserFactory())
    approved = mailoutbox[-1]
    assert approved.to == ["wang@example.org"]
    assert approved.subject.startswith("提名已批准")
    assert "欢迎加入工作组" in approved.body
