"""Each person's rights over their data (docs/personal-data.md): the signed-in member's own
data as a page and as JSON, erasure on request through the admin, and the retention chores."""

import datetime
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from anso.background.imports import import_job_files_delete
from anso.background.upkeep import upkeep_run
from anso.mail.dispatch import mail_bodies_delete
from anso.models import ImportJob, ImportJobStatus, OutgoingMail, OutgoingMailStatus
from meetings.attendance.models import ParticipationStatus
from meetings.attendance.personal_data import registrants_contact_details_clear
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from meetings.record.comment_models import MinutesComment
from meetings.record.models import Minutes, MinutesPart
from members.models import Erasure, Person
from members.nominations.models import Nomination, NominationStatus
from members.personal_data import services
from members.personal_data.selectors import personal_data, personal_data_shown
from members.personal_data.views import VIEWS_PER_CLIENT_PER_HOUR
from members.sign_in.services import member_account
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    NominationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE = {"en": "/en/my-data/", "zh-hans": "/zh-hans/my-data/"}
JSON = {"en": "/en/my-data/download/", "zh-hans": "/zh-hans/my-data/download/"}


@pytest.fixture
def member(db) -> Person:
    person = PositionFactory(
        person__email="amina@example.org", person__phone="+254 700 000 000"
    ).person
    ParticipationFactory(person=person)
    NominationFactory(email="amina@example.org", organization=person.organization)
    OutgoingMail.objects.create(
        to=["amina@example.org"],
        subject="Your registration",
        body="See you in Beijing.",
        status=OutgoingMailStatus.SENT,
        sent_at=timezone.now(),
    )
    OutgoingMail.objects.create(to=["someone@example.org"], subject="Not yours", body="x")
    return person


def link_in(mail) -> str:
    (url,) = re.findall(r"https?://\S+/sign-in/link/\S+", mail.body)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sign_in_by_link(client, person, mailoutbox, commit, *, tamper=False) -> int:
    """Ask for the personal link, use it; the status of the link's POST."""
    with commit(execute=True):
        client.post("/en/sign-in/", {"email": person.email})
    # The mail to the person (the fixture's unsent mail to someone else goes out with it, in
    # an order the database does not fix).
    (mail,) = [m for m in mailoutbox if person.email in m.to and "/sign-in/link/" in m.body]
    link = link_in(mail)
    token = parse_qs(urlsplit(link).query)["sesame"][0]
    if tamper:
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    return client.post("/en/sign-in/link/", {"token": token, "next": ""}).status_code


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_personal_data_through_the_personal_link(
    client, member, mailoutbox, django_capture_on_commit_callbacks, language
):
    assert sign_in_by_link(client, member, mailoutbox, django_capture_on_commit_callbacks) == 302
    response = client.get(JSON[language])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["language"] == language
    assert data["person"]["email"] == "amina@example.org"
    assert data["person"]["phone"] == "+254 700 000 000"
    assert len(data["positions"]) == 1
    with translation.override(language):
        meeting = str(member.participations.get().meeting)
    assert [p["meeting"] for p in data["participations"]] == [meeting]
    assert len(data["nominations"]) == 1
    subjects = [m["subject"] for m in data["mails"]]
    assert "Your registration" in subjects and "Not yours" not in subjects
    assert data["consent"]["announcements"] is True

    page = client.get(PAGE[language])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "amina@example.org" in html
    assert meeting in html
    assert ("您的数据" if language == "zh-hans" else "Your data") in html


def test_personal_data_mail_body_only_while_kept(client, member):
    OutgoingMail.objects.filter(subject="Your registration").update(body="")
    client.force_login(member_account(person=member))
    (mail,) = json.loads(client.get(JSON["en"]).content)["mails"]
    assert mail["body"] is None and mail["status"] == OutgoingMailStatus.SENT


def test_personal_data_tampered_link_opens_nothing(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    status = sign_in_by_link(
        client, member, mailoutbox, django_capture_on_commit_callbacks, tamper=True
    )
    assert status == 403
    for url in (PAGE["en"], JSON["en"]):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/sign-in/")
        assert b"amina@example.org" not in response.content


def test_personal_data_never_for_a_non_member_or_staff(client, secretariat_client, member):
    """Someone signed in who is no member (a former contact person) gets no data."""
    outsider = PersonFactory()
    client.force_login(UserFactory())
    assert client.get(JSON["en"]).status_code == 302
    assert secretariat_client.get(JSON["en"]).status_code == 302
    assert outsider.email.encode() not in client.get(PAGE["en"]).content


def test_personal_data_rate_limited(client, member):
    client.force_login(member_account(person=member))
    for _ in range(VIEWS_PER_CLIENT_PER_HOUR):
        assert client.get(JSON["en"]).status_code == 200
    response = client.get(PAGE["en"])
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# --- erasure through the admin ----------------------------------------------------------------


def erase_in_admin(client, people, reason="Request by mail of 1 December"):
    url = reverse("admin:members_person_changelist")
    data = {"action": "erase_selected", ACTION_CHECKBOX_NAME: [p.pk for p in people]}
    page = client.post(url, data)
    if page.status_code != 200:
        return page
    assert b"Erase the people" in page.content or "reason" in page.content.decode()
    return client.post(url, {**data, "reason": reason})


def test_erase_through_the_admin(secretariat_client, secretariat_user, member):
    member_account(person=member)
    response = erase_in_admin(secretariat_client, [member])
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.erased_at is not None
    assert (member.given_name, member.family_name, member.email, member.phone) == ("", "", "", "")
    assert member.user is None
    assert member.display_name == "a participant"
    assert member.slug == f"erased-{member.pk}"
    for row in Person.history.filter(id=member.pk):
        assert (row.family_name, row.email, row.phone) == ("", "", "")
    (nomination,) = Nomination.objects.filter(organization=member.organization)
    assert (nomination.email, nomination.family_name) == ("", "")
    assert all(row.email == "" for row in Nomination.history.filter(id=nomination.pk))
    mail = OutgoingMail.objects.get(subject="Your registration")
    assert (mail.to, mail.body) == ([], "")
    assert OutgoingMail.objects.get(subject="Not yours").to == ["someone@example.org"]
    participation = member.participations.get()
    assert participation.status == ParticipationStatus.ATTENDED
    assert not participation.listed_publicly
    (erasure,) = Erasure.objects.all()
    assert erasure.erased_by == secretariat_user
    assert erasure.reason == "Request by mail of 1 December"
    assert erasure.person_id == member.pk
    assert erasure.counts["participations"] == 1
    # The anonymous row can no longer be edited; the record is read-only in the admin.
    person_change = reverse("admin:members_person_change", args=[member.pk])
    assert secretariat_client.get(person_change).status_code == 200
    assert secretariat_client.post(person_change, {"family_name": "Back"}).status_code == 403
    change = reverse("admin:members_erasure_change", args=[erasure.pk])
    assert secretariat_client.get(change).status_code == 200
    assert secretariat_client.post(change, {"reason": "x"}).status_code == 403
    assert secretariat_client.get(reverse("admin:members_erasure_add")).status_code == 403


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_erase_asks_for_a_reason(secretariat_client, member, language):
    """Without a reason the page comes back in the admin's language, as the site's forms do:
    checked by the site, not by the browser (whose message would be in its own language), said
    at the top and on the field, which takes the focus."""
    secretariat_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = erase_in_admin(secretariat_client, [member], reason="")
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.erased_at is None and not Erasure.objects.exists()
    html = response.content.decode()
    assert re.search(r"<form method=\"post\" novalidate>", html)
    with translation.override(language):
        assert 'id="error-summary"' in html
        assert gettext("The form was not sent") in html
        assert f'<a href="#id_reason" data-error-field="reason">{gettext("Reason")}</a>' in html
        assert gettext("This field is required.") in html
    (textarea,) = re.findall(r"<textarea[^>]*>", html)
    for attribute in ('id="id_reason"', "autofocus", 'aria-invalid="true"', "required"):
        assert attribute in textarea


def test_erase_twice_is_refused(member, secretariat_user):
    services.person_erase(person=member, by=secretariat_user, reason="asked")
    with pytest.raises(services.ErasureRefused):
        services.person_erase(person=member, by=secretariat_user, reason="asked again")
    assert Erasure.objects.count() == 1


def test_erase_needs_the_permission(member):
    """Staff without "erase" neither see the action nor may post it."""
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_person", "change_person"])
    )
    client = Client()
    client.force_login(staff)
    url = reverse("admin:members_person_changelist")
    assert b"erase_selected" not in client.get(url).content
    data = {"action": "erase_selected", ACTION_CHECKBOX_NAME: [member.pk], "reason": "x"}
    client.post(url, data)
    member.refresh_from_db()
    assert member.erased_at is None
    assert not Erasure.objects.exists()


def test_erase_action_refuses_without_permission_with_403(rf, member):
    from django.contrib import admin

    model_admin = admin.site._registry[Person]
    request = rf.post("/")
    request.user = UserFactory(is_staff=True)
    with pytest.raises(Exception) as refused:
        model_admin.erase_selected(request, Person.objects.filter(pk=member.pk))
    assert refused.type.__name__ == "PermissionDenied"


def test_erased_person_has_no_public_page(client, member):
    slug = member.slug
    assert client.get(reverse("person_detail", kwargs={"slug": slug})).status_code == 200
    services.person_erase(person=member, by=None, reason="asked")
    member.refresh_from_db()
    assert client.get(reverse("person_detail", kwargs={"slug": slug})).status_code == 404
    assert client.get(reverse("person_detail", kwargs={"slug": member.slug})).status_code == 404


def test_erased_chair_and_speaker_are_named_not_linked_in_the_programme(client, member):
    """The programme names an erased chair or speaker "a participant", without a link to the
    page they no longer have; the others keep theirs."""
    session = SessionFactory(chair=member, meeting__is_published=True)
    other = SpeakerFactory(item__session=session).person
    SpeakerFactory(item=AgendaItemFactory(session=session), person=member)
    services.person_erase(person=member, by=None, reason="asked")
    member.refresh_from_db()
    html = client.get(session.meeting.get_absolute_url()).content.decode()
    assert "a participant" in html
    assert f'href="/en/people/{member.slug}/"' not in html
    assert other.get_absolute_url() in html


# --- retention --------------------------------------------------------------------------------

NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


def test_unconfirmed_nominations_deleted_after_their_days(settings):
    settings.NOMINATION_UNCONFIRMED_DAYS = 30
    old = NominationFactory(status=NominationStatus.UNCONFIRMED)
    expired = NominationFactory(status=NominationStatus.EXPIRED)
    recent = NominationFactory(status=NominationStatus.UNCONFIRMED)
    confirmed = NominationFactory(status=NominationStatus.AWAITING_REVIEW)
    Nomination.objects.filter(pk__in=[old.pk, expired.pk, confirmed.pk]).update(
        created_at=NOW - datetime.timedelta(days=31)
    )
    Nomination.objects.filter(pk=recent.pk).update(created_at=NOW - datetime.timedelta(days=29))
    assert services.nominations_unconfirmed_delete(now=NOW) == 2
    assert set(Nomination.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not Nomination.history.filter(id__in=[old.pk, expired.pk]).exists()
    assert services.nominations_unconfirmed_delete(now=NOW) == 0


def test_registrants_contact_details_cleared_after_the_months(settings):
    settings.CONTACT_RETENTION_MONTHS = 12
    long_ago = MeetingFactory(
        start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 5, 2)
    )
    lately = MeetingFactory(
        start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 6)
    )
    only_registered = ParticipationFactory(
        meeting=long_ago, status=ParticipationStatus.REGISTERED, person__phone="123"
    ).person
    attended = ParticipationFactory(meeting=long_ago).person
    recent = ParticipationFactory(meeting=lately, status=ParticipationStatus.REGISTERED).person
    contact = ParticipationFactory(meeting=long_ago, status=ParticipationStatus.ABSENT).person
    PositionFactory(person=contact)
    assert registrants_contact_details_clear(now=NOW) == 1
    only_registered.refresh_from_db()
    assert (only_registered.email, only_registered.phone) == ("", "")
    assert only_registered.family_name  # the name stays: the figures and the record need it
    assert all(r.email == "" for r in Person.history.filter(id=only_registered.pk))
    for person in (attended, recent, contact):
        person.refresh_from_db()
        assert person.email
    assert registrants_contact_details_clear(now=NOW) == 0


def test_mail_bodies_and_import_files_deleted_after_their_days(settings, secretariat_user):
    """The chores of anso/chores.py are the retention of mail bodies and import files."""
    settings.MAIL_BODY_DAYS = 30
    settings.IMPORT_JOB_FILE_DAYS = 7
    sent = {"to": ["a@example.org"], "subject": "s", "status": OutgoingMailStatus.SENT}
    old = OutgoingMail.objects.create(**sent, body="old", sent_at=NOW - datetime.timedelta(31))
    new = OutgoingMail.objects.create(**sent, body="new", sent_at=NOW - datetime.timedelta(29))
    job = {"created_by": secretariat_user, "model_label": "members.person", "data": b"x"}
    old_job = ImportJob.objects.create(
        **job, status=ImportJobStatus.DONE, finished_at=NOW - datetime.timedelta(8)
    )
    new_job = ImportJob.objects.create(
        **job, status=ImportJobStatus.DONE, finished_at=NOW - datetime.timedelta(6)
    )
    assert mail_bodies_delete(now=NOW) == 1
    assert import_job_files_delete(now=NOW) == 1
    for row in (old, new, old_job, new_job):
        row.refresh_from_db()
    assert (old.body, new.body) == ("", "new")
    assert (bytes(old_job.data), bytes(new_job.data)) == (b"", b"x")


def test_retention_chores_run_in_the_upkeep_and_report_their_counts(settings):
    """The upkeep's log line counts what each chore deleted."""
    settings.NOMINATION_UNCONFIRMED_DAYS = 30
    stale = NominationFactory(status=NominationStatus.UNCONFIRMED)
    Nomination.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(40)
    )
    results = upkeep_run()
    assert results["members.nominations_unconfirmed_delete"] == 1
    assert results["meetings.registrants_contact_clear"] == 0
    assert "mail.delete_bodies" in results and "imports.delete_files" in results


# --- the page shows what the JSON holds --------------------------------------------------------


@pytest.fixture
def member_in_every_section(member) -> Person:
    """The member, with an invitation and a comment on circulated minutes besides their
    position, participation, nomination and mail: a row in every section of their data."""
    meeting = member.participations.get().meeting
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION,
        meeting=meeting,
        subject_en="Invitation to the meeting",
        body_en="Dear member,",
    )
    MailingRecipient.objects.create(mailing=mailing, person=member, address=member.email)
    minutes = Minutes.objects.create(meeting=meeting)
    part = MinutesPart.objects.create(minutes=minutes, order=1, heading_en="Opening")
    MinutesComment.objects.create(
        part=part, person=member, text="Please name the chair.", created_at=timezone.now()
    )
    return member


def page_sections(html: str) -> dict[str, str]:
    """The page's sections by their key, with their HTML."""
    found = re.findall(
        r'<section[^>]*data-personal-data-section="([^"]+)"[^>]*>(.*?)</section>', html, re.S
    )
    return dict(found)


#: The JSON's keys that say how it was made, not what it holds.
JSON_META = {"generated_at", "language"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_section_of_the_json_is_on_the_page(client, member_in_every_section, language):
    """Each key of the JSON is a section of the page, with a row for each of its rows, and
    each key of those rows has a label of its own on the page (a section an app registers
    with a key it does not describe fails here)."""
    client.force_login(member_account(person=member_in_every_section))
    data = json.loads(client.get(JSON[language]).content)
    sections = page_sections(client.get(PAGE[language]).content.decode())
    holds = set(data) - JSON_META
    assert {"minutes_comments", "invitations", "participations", "mails"} <= holds
    assert set(sections) == holds
    with translation.override(language):
        shown = {
            s.key: s for s in personal_data_shown(personal_data(person=member_in_every_section))
        }
    for key in holds:
        value = data[key]
        assert value, f"the fixture gives {key} no data"
        section = shown[key]
        assert section.title != key, f"{key} has no title of its own"
        if isinstance(value, dict):
            labels = [label for label, _cell in section.record]
            keys = list(value)
        else:
            assert sections[key].count("<tr>") == len(value) + 1  # the header row
            labels = section.labels
            keys = list(dict.fromkeys(k for row in value for k in row))
        assert len(labels) == len(keys), f"{key}: a key without a label"
        assert not set(map(str, labels)) & set(keys), f"{key}: a key shown under its own name"
        for label in labels:
            assert escape(str(label)) in sections[key]
    assert "Please name the chair." in sections["minutes_comments"]
    assert "Invitation to the meeting" in sections["invitations"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_empty_section_says_so_in_the_pages_language(client, language):
    person = PositionFactory(person__email="lone@example.org").person  # a member holds one
    client.force_login(member_account(person=person))
    data = json.loads(client.get(JSON[language]).content)
    sections = page_sections(client.get(PAGE[language]).content.decode())
    empty = [key for key, value in data.items() if key not in JSON_META and value == []]
    assert {"nominations", "participations", "invitations", "minutes_comments"} <= set(empty)
    with translation.override(language):
        described = {s.key: s for s in personal_data_shown(personal_data(person=person))}
    said = set()
    for key in empty:
        assert "data-empty" in sections[key] and "<table" not in sections[key]
        with translation.override(language):
            text = str(described[key].empty)
        assert text and escape(text) in sections[key]
        said.add(text)
    assert len(said) == len(empty), "each section says its own empty state"
    if language == "zh-hans":
        assert "您尚未对分发的会议纪要提出意见。" in sections["minutes_comments"]
        assert "秘书处尚未向您发送邀请。" in sections["invitations"]


def test_chinese_page_marks_english_only_titles(client, member_in_every_section):
    """A meeting, an organization, a minutes part with no Chinese name: the Chinese page shows
    the English one in an element marked lang="en"; the English page marks nothing."""
    member = member_in_every_section
    meeting = member.participations.get().meeting
    assert meeting.title_en and not meeting.title_zh_hans
    client.force_login(member_account(person=member))
    sections = page_sections(client.get(PAGE["zh-hans"]).content.decode())
    marked = f'<td lang="en">{escape(meeting.title_en)}</td>'
    assert marked in sections["participations"]
    assert marked in sections["minutes_comments"]
    assert '<td lang="en">Opening</td>' in sections["minutes_comments"]
    assert '<td lang="en">Invitation to the meeting</td>' in sections["invitations"]
    assert f'lang="en">{escape(member.organization.name_en)}<' in sections["person"]
    english = client.get(PAGE["en"]).content.decode()
    assert 'lang="en"' not in "".join(page_sections(english).values())


def test_a_chinese_title_is_not_marked(client, member_in_every_section):
    member = member_in_every_section
    meeting = member.participations.get().meeting
    meeting.body.name_zh_hans = "ANSO工作组"
    meeting.body.save()
    meeting.save()
    client.force_login(member_account(person=member))
    sections = page_sections(client.get(PAGE["zh-hans"]).content.decode())
    assert "<td>ANSO工作组第" in sections["participations"]


def test_the_page_is_private_and_shows_the_members_own_contact_details(client, member):
    """The page and the download are never cached (`never_cache` and `private`), and show
    the member's own email and phone, and only theirs."""
    client.force_login(member_account(person=member))
    for url in (PAGE["en"], JSON["en"]):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert b"amina@example.org" in response.content
        assert b"+254 700 000 000" in response.content
        assert b"someone@example.org" not in response.content


def test_typed_text_is_marked_by_its_script(client, member):
    """A job title typed in Latin letters is marked English on the Chinese page; one typed in
    Chinese is not. The JSON holds the text alone."""
    Nomination.objects.filter(email=member.email).update(job_title="国际合作处处长")
    NominationFactory(email=member.email, job_title="Director")  # by another organization
    client.force_login(member_account(person=member))
    sections = page_sections(client.get(PAGE["zh-hans"]).content.decode())
    assert "<td>国际合作处处长</td>" in sections["nominations"]
    assert '<td lang="en">Director</td>' in sections["nominations"]
    data = json.loads(client.get(JSON["zh-hans"]).content)
    assert {n["job_title"] for n in data["nominations"]} == {"国际合作处处长", "Director"}
