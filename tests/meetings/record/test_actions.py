"""Actions followed up: an owner (at most one), a due date, progress notes, the overdue rule
on every page that shows it, and the owners' reminders."""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anso.background.upkeep import chore_names
from anso.models import OutgoingMail
from anso.workbench import entries_for
from meetings.demo import demo_load
from meetings.models import Action, ActionProgress, ActionStatus
from meetings.record.actions import services
from meetings.record.actions.reminders import (
    action_plan_overdue_renew,
    action_reminders_send,
)
from members.models import BodyKind, Role
from tests.admin_helpers import admin_post, form_errors
from tests.factories import (
    ActionFactory,
    ActionProgressFactory,
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# --- the owner ----------------------------------------------------------------------------


def test_action_two_owners_refused_by_the_database():
    """The check constraint, through the ORM: the model's `save` does not run `clean`."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(owner_organization=OrganizationFactory(), owner_person=PersonFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(owner_body=BodyFactory(), owner_organization=OrganizationFactory())
    action = ActionFactory(owner_person=PersonFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(owner_body=BodyFactory())


def test_action_one_owner_or_none_accepted():
    ActionFactory()
    ActionFactory(owner_organization=OrganizationFactory())
    ActionFactory(owner_body=BodyFactory())
    owned = ActionFactory(owner_person=PersonFactory(family_name="Owner"))
    assert owned.owner.family_name == "Owner"


def test_action_save_two_owners_refused_with_a_message():
    action = ActionFactory.build(owner_organization=OrganizationFactory(), owner_body=BodyFactory())
    with pytest.raises(ValidationError) as error:
        services.action_save(action=action)
    assert "Choose one owner" in str(error.value)
    assert not Action.objects.exists()


def test_action_save_new_owner_is_reminded_again(superuser):
    action = ActionFactory(owner_person=PersonFactory(), due_date=days(5), reminded_for=days(5))
    action.owner_person = PersonFactory()
    services.action_save(action=action, by=superuser)
    action.refresh_from_db()
    assert action.reminded_for is None
    assert action.history.latest().history_user == superuser


# --- the overdue rule ---------------------------------------------------------------------


def test_action_overdue_rule_with_dates():
    late = ActionFactory(due_date=days(-1), status=ActionStatus.IN_PROGRESS)
    late_endorsed = ActionFactory(due_date=days(-30), status=ActionStatus.ENDORSED)
    ActionFactory(due_date=TODAY)  # due today: not overdue yet
    ActionFactory(due_date=days(1))
    ActionFactory(due_date=None)
    ActionFactory(due_date=days(-1), status=ActionStatus.COMPLETED)
    ActionFactory(due_date=days(-1), status=ActionStatus.DROPPED)

    assert set(Action.objects.overdue(on=TODAY)) == {late, late_endorsed}
    marked = {action.pk for action in Action.objects.with_overdue(on=TODAY) if action.is_overdue}
    assert marked == {late.pk, late_endorsed.pk}
    # The next day, the one due today is overdue too.
    assert Action.objects.overdue(on=days(1)).count() == 3


# --- the public pages ---------------------------------------------------------------------


def _followed_action(**owner):
    first = MeetingFactory(number=1)
    second = MeetingFactory(
        number=2,
        body=first.body,
        start_date=datetime.date(2020, 5, 13),
        end_date=datetime.date(2020, 5, 14),
    )
    action = ActionFactory(
        title="Shared observatory", due_date=timezone.localdate() - datetime.timedelta(days=3),
        status=ActionStatus.IN_PROGRESS, **owner,
    )  # fmt: skip
    ActionProgressFactory(
        action=action,
        meeting=second,
        date=second.start_date,
        text_en="Two stations installed.",
        text_zh_hans="已安装两个观测站。",
    )
    ActionProgressFactory(
        action=action, meeting=None, date=datetime.date(2020, 9, 1), text_en="Data shared."
    )
    return action, second


def test_action_plan_shows_owner_due_date_overdue_and_progress_without_email(client):
    owner = PersonFactory(
        honorific="Dr.", given_name="Amina", family_name="Odhiambo",
        email="amina.odhiambo@example.org", phone="+254 700 000 000",
    )  # fmt: skip
    action, second = _followed_action(owner_person=owner)

    for url in (reverse("meetings:action_list"), action.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Dr. Amina Odhiambo" in html
        assert "amina.odhiambo@example.org" not in html
        assert "700 000" not in html
        assert f'datetime="{action.due_date:%Y-%m-%d}"' in html
        assert "data-overdue>Overdue<" in html  # in words, not by colour alone
        assert "Two stations installed." in html
        assert f"reported at the {second.title}" in html
        assert "(between meetings): " in html
        assert html.index("Two stations installed.") < html.index("Data shared.")


def test_action_plan_not_overdue_once_completed(client):
    action, _second = _followed_action(owner_organization=OrganizationFactory(name="Institute Z"))
    action.status = ActionStatus.COMPLETED
    services.action_save(action=action)
    html = client.get(reverse("meetings:action_list")).content.decode()
    assert "Institute Z" in html
    assert "data-overdue" not in html


def test_action_plan_in_chinese(client):
    _followed_action(owner_body=BodyFactory(kind=BodyKind.SECRETARIAT))
    html = client.get("/zh-hans/meetings/action-plan/").content.decode()
    assert "已逾期" in html
    assert "已安装两个观测站。" in html
    assert "负责方" in html
    # The note without Chinese shows its English text, marked as such.
    assert '<span lang="en">Data shared.</span>' in html


def test_meeting_page_marks_its_overdue_actions(client):
    late = ActionFactory(title="Late action", due_date=timezone.localdate() - datetime.timedelta(1))
    done = ActionFactory(
        title="Done action",
        due_date=timezone.localdate() - datetime.timedelta(1),
        status=ActionStatus.COMPLETED,
    )
    meeting = MeetingFactory()
    AgendaItemFactory(session__meeting=meeting, action=late)
    AgendaItemFactory(session__meeting=meeting, action=done, session__order=2)
    html = client.get(meeting.get_absolute_url()).content.decode()
    section = html[html.index('id="actions"') :]
    late_row = section[section.index("Late action") : section.index("</li>")]
    assert "data-overdue>Overdue<" in late_row
    assert section.count("data-overdue") == 1


# --- the Secretariat's home page ----------------------------------------------------------


def test_home_page_overdue_entry_lists_exactly_the_counted_actions(secretariat_client):
    today = timezone.localdate()
    late = ActionFactory.create_batch(3, due_date=today - datetime.timedelta(days=2))
    ActionFactory(due_date=today - datetime.timedelta(days=2), status=ActionStatus.COMPLETED)
    ActionFactory(due_date=today + datetime.timedelta(days=2))
    request = secretariat_client.get(reverse("admin:index")).wsgi_request
    (entry,) = [e for e in entries_for(request) if e.label == "Actions overdue"]
    assert entry.count == 3
    changelist = secretariat_client.get(entry.url).context["cl"]
    assert {action.pk for action in changelist.result_list} == {action.pk for action in late}


def test_home_page_overdue_entry_hidden_without_the_permission(client, outsider_staff_user):
    ActionFactory(due_date=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(outsider_staff_user)
    request = client.get(reverse("admin:index")).wsgi_request
    assert "Actions overdue" not in [entry.label for entry in entries_for(request)]


def test_action_admin_refused_without_the_permission(client, outsider_staff_user):
    action = ActionFactory()
    client.force_login(outsider_staff_user)
    change = reverse("admin:meetings_action_change", args=[action.pk])
    assert client.get(change).status_code == 403
    assert client.get(reverse("admin:meetings_action_changelist")).status_code == 403
    assert client.post(change, {"due_date": "2030-01-01"}).status_code == 403
    assert Action.objects.get(pk=action.pk).due_date is None


# --- the admin writes through the services ------------------------------------------------


def test_action_admin_saves_owner_due_date_and_progress_with_history(secretariat_client):
    action = ActionFactory(title="Shared observatory")
    meeting = MeetingFactory()
    organization = OrganizationFactory()
    url = reverse("admin:meetings_action_change", args=[action.pk])
    form = secretariat_client.get(url).context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    response = admin_post(
        secretariat_client,
        url,
        {
            **data,
            "owner_organization": organization.pk,
            "due_date": "2030-06-30",
            "progress-TOTAL_FORMS": "1",
            "progress-0-date": meeting.start_date.isoformat(),
            "progress-0-meeting": meeting.pk,
            "progress-0-text_en": "Site chosen.",
            "progress-0-text_zh_hans": "已选定地点。",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.owner, action.due_date) == (organization, datetime.date(2030, 6, 30))
    assert action.history.latest().history_user.username == "secretariat"
    note = ActionProgress.objects.get(action=action)
    assert (note.text_en, note.text_zh_hans, note.meeting) == (
        "Site chosen.",
        "已选定地点。",
        meeting,
    )
    assert note.history.latest().history_user.username == "secretariat"


def test_action_admin_refuses_two_owners_and_a_note_outside_its_meeting(secretariat_client):
    action = ActionFactory()
    meeting = MeetingFactory()
    url = reverse("admin:meetings_action_change", args=[action.pk])
    form = secretariat_client.get(url).context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    response = admin_post(
        secretariat_client,
        url,
        {**data, "owner_organization": OrganizationFactory().pk, "owner_body": BodyFactory().pk},
    )
    assert form_errors(response) == {
        "owner_organization": ["Choose one owner: an organization, a body or a person."]
    }
    assert Action.objects.get(pk=action.pk).owner is None
    response = admin_post(
        secretariat_client,
        url,
        {
            **data,
            "progress-TOTAL_FORMS": "1",
            "progress-0-date": "2030-01-01",
            "progress-0-meeting": meeting.pk,
            "progress-0-text_en": "Outside the meeting.",
        },
    )
    assert response.status_code == 200
    (progress,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is ActionProgress
    ]
    assert progress.errors == [
        {"date": ["A note reported at a meeting is dated on one of its days."]}
    ]
    assert not ActionProgress.objects.exists()


# --- reminders ----------------------------------------------------------------------------


def _reminders() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.order_by("pk"))


def test_action_reminder_sent_once_to_the_owner(settings):
    settings.ACTION_REMINDER_DAYS = 14
    settings.SITE_URL = "https://anso.example.org"
    owner = PersonFactory(email="owner@example.org", given_name="Amina", family_name="Odhiambo")
    action = ActionFactory(title="Shared observatory", owner_person=owner, due_date=days(14))

    assert action_reminders_send(now=NOW) == 1
    assert action_reminders_send(now=NOW) == 0  # run twice: one mail
    assert action_reminders_send(now=NOW + datetime.timedelta(days=3)) == 0
    (mail,) = _reminders()
    assert mail.to == ["owner@example.org"]
    assert "Shared observatory" in mail.subject
    assert "Dear Dr. Amina Odhiambo" in mail.body
    assert f"https://anso.example.org/en/meetings/action-plan/{action.slug}/" in mail.body
    action.refresh_from_db()
    assert action.reminded_for == days(14)

    # A new due date is reminded again, once.
    action.due_date = days(10)
    services.action_save(action=action)
    assert action_reminders_send(now=NOW) == 1
    assert action_reminders_send(now=NOW) == 0


def test_action_reminder_in_the_recipients_language(settings):
    owner = PersonFactory(email="li@example.org", language="zh-hans")
    action = ActionFactory(
        title_en="Shared observatory", title_zh_hans="共享观测站", owner_person=owner,
        due_date=days(3),
    )  # fmt: skip
    assert action_reminders_send(now=NOW) == 1
    (mail,) = _reminders()
    assert "共享观测站" in mail.subject
    assert "提醒" in mail.subject
    assert f"/zh-hans/meetings/action-plan/{action.slug}/" in mail.body


def test_action_reminder_not_for_done_far_or_past_actions(settings):
    settings.ACTION_REMINDER_DAYS = 14
    owner = PersonFactory()
    ActionFactory(owner_person=owner, due_date=days(5), status=ActionStatus.COMPLETED)
    ActionFactory(owner_person=owner, due_date=days(5), status=ActionStatus.DROPPED)
    ActionFactory(owner_person=owner, due_date=days(15))  # not yet within the window
    ActionFactory(owner_person=owner, due_date=days(-1))  # overdue: the home page says so
    ActionFactory(owner_person=owner, due_date=None)
    assert action_reminders_send(now=NOW) == 0
    assert _reminders() == []


def test_action_reminder_to_an_organizations_contact_persons():
    organization = OrganizationFactory()
    current = PositionFactory(
        person=PersonFactory(email="contact@example.org"),
        role=Role.CONTACT_PERSON,
        appointed_by=organization,
        start_date=days(-100),
    ).person
    PositionFactory(  # no longer a contact person
        person=PersonFactory(email="former@example.org"),
        role=Role.CONTACT_PERSON,
        appointed_by=organization,
        start_date=days(-400),
        end_date=days(-200),
    )
    PersonFactory(email="colleague@example.org", organization=organization)  # no position
    ActionFactory(owner_organization=organization, due_date=days(7))
    assert action_reminders_send(now=NOW) == 1
    assert [mail.to for mail in _reminders()] == [[current.email]]
    assert "for its owner" in _reminders()[0].body


def test_action_reminder_to_a_bodys_directors_or_skipped_with_a_log(caplog):
    secretariat = BodyFactory(kind=BodyKind.SECRETARIAT)
    PositionFactory(
        person=PersonFactory(email="director@example.org"),
        role=Role.EXECUTIVE_DIRECTOR,
        body=secretariat,
        appointed_by=None,
        start_date=days(-100),
    )
    PositionFactory(
        person=PersonFactory(email="officer@example.org"),
        role=Role.STAFF,
        body=secretariat,
        appointed_by=None,
        start_date=days(-100),
    )
    ActionFactory(owner_body=secretariat, due_date=days(7))
    board = ActionFactory(owner_body=BodyFactory(kind=BodyKind.GOVERNING_BOARD), due_date=days(7))
    with caplog.at_level(logging.INFO, logger="meetings.record.actions.reminders"):
        assert action_reminders_send(now=NOW) == 1
    assert [mail.to for mail in _reminders()] == [["director@example.org"]]
    assert f"Action {board.pk} is due" in caplog.text
    board.refresh_from_db()
    assert board.reminded_for == board.due_date  # not tried again at every upkeep


def test_action_reminders_are_an_upkeep_chore():
    assert {"meetings.action_reminders", "meetings.action_plan_overdue"} <= set(chore_names())


# --- the page cache -----------------------------------------------------------------------


def _cached(url: str) -> bool:
    return Client().get(url)["X-Page-Cache"] == "hit"


def test_a_progress_note_renews_the_action_plan(page_cache):
    action = ActionFactory()
    url = reverse("meetings:action_list")
    Client().get(url)
    assert _cached(url)
    services.action_progress_add(action=action, date=TODAY, text_en="Started.")
    assert not _cached(url)
    assert "Started." in Client().get(url).content.decode()


def test_renaming_an_owner_renews_the_action_plan(page_cache):
    organization = OrganizationFactory(name="Institute Owner")
    ActionFactory(owner_organization=organization)
    url = reverse("meetings:action_list")
    Client().get(url)
    assert _cached(url)
    organization.name_en = "Institute Owner Renamed"
    organization.save()
    assert "Institute Owner Renamed" in Client().get(url).content.decode()


def test_the_day_an_action_becomes_overdue_the_action_plan_is_renewed(page_cache):
    ActionFactory(due_date=days(0))
    url = reverse("meetings:action_list")
    assert action_plan_overdue_renew(now=NOW) is False  # nothing overdue on the 10th
    Client().get(url)
    assert _cached(url)
    assert action_plan_overdue_renew(now=NOW) is False  # once a day
    assert action_plan_overdue_renew(now=NOW + datetime.timedelta(days=1)) is True
    assert not _cached(url)
    assert action_plan_overdue_renew(now=NOW + datetime.timedelta(days=2)) is False


# --- the demo -----------------------------------------------------------------------------


def test_demo_actions_have_owners_due_dates_and_progress(client):
    demo = demo_load()
    actions = {action.title_en: action for action in Action.objects.all()}
    research = actions["ANSO joint research programmes"]
    assert research.owner.short_name == "CAS"
    assert research.due_date == datetime.date(2020, 12, 31)
    assert actions["ANSO scholarship programme"].owner.kind == BodyKind.SECRETARIAT
    assert actions["Capacity building and training"].owner.slug == "li-na"
    # Each action was presented and discussed at the 1st meeting (the report says so).
    meeting = demo.objects["meeting"]
    assert ActionProgress.objects.filter(meeting=meeting).count() == len(actions)
    between = ActionProgress.objects.filter(meeting__isnull=True)
    assert between.exists()
    assert all(note.text_en.endswith("Sample data.") for note in between)
    assert all(note.text_zh_hans.endswith("示例数据。") for note in between)

    html = client.get(reverse("meetings:action_list")).content.decode()
    assert f"reported at the {meeting.title}" in html
    assert html.count("data-overdue") == 1  # the research programmes, past due and open
    assert demo_load().created == demo_load().updated == 0
