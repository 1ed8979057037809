"""The Secretariat's home page as infrastructure: the registry of "needs attention" entries
(anso/workbench.py) and the tables grouped by task (`GROUPS` in anso/admin.py)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from anso import workbench
from anso.admin import GROUPS, SYSTEM_GROUP

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_registered_admin_model_is_placed_in_one_group():
    placed = [label for _name, labels in GROUPS.values() for label in labels]
    assert len(placed) == len(set(placed)), "a model placed twice"
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - set(placed) == set(), "registered in the admin, in no group"
    assert set(placed) - registered == set(), "in a group, not registered in the admin"


def test_the_secretariat_sees_the_groups_by_task_and_not_the_system(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))
    groups = [app["app_label"] for app in response.context["app_list"]]
    assert groups == ["programme", "attendance", "papers", "people", "mail", "records"]
    html = response.content.decode()
    for name in ("Meetings and programme", "Attendance", "Papers", "People and organizations",
                 "Mail", "Records and audit"):  # fmt: skip
        assert name in html
    assert "Access attempts" not in html


def test_a_superuser_sees_the_system_group_last_with_the_machinery(client, superuser):
    client.force_login(superuser)
    app_list = client.get(reverse("admin:index")).context["app_list"]
    assert app_list[-1]["app_label"] == SYSTEM_GROUP
    system = {model["model"]._meta.label for model in app_list[-1]["models"]}
    assert {"axes.AccessAttempt", "django_tasks_database.DBTaskResult", "auth.User"} <= system
    # Each group lists its tables in the order of GROUPS.
    programme = [model["model"]._meta.label for model in app_list[0]["models"]]
    assert programme == GROUPS["programme"][1]


def test_an_app_page_still_lists_that_apps_tables(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:app_list", kwargs={"app_label": "axes"}))
    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["axes"]


def test_entries_hide_what_the_user_may_not_view(monkeypatch):
    monkeypatch.setattr(workbench, "_SOURCES", {})
    workbench.register(
        "test.allowed",
        label="Allowed",
        permission="members.view_nomination",
        count=lambda now: 3,
        url=lambda now: workbench.changelist_url("members.Nomination", status__exact="x"),
    )
    workbench.register(
        "test.hidden",
        label="Hidden",
        permission="anso.view_importjob",
        count=lambda now: pytest.fail("a hidden entry is not counted"),
        url=lambda now: "/",
    )
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="view_nomination"))
    request = RequestFactory().get("/")
    request.user = user
    entries = workbench.entries_for(request)
    assert [(e.label, e.count, e.url) for e in entries] == [
        ("Allowed", 3, "/admin/members/nomination/?status__exact=x")
    ]
    assert entries[0].waiting


def test_every_app_contributes_its_entries():
    assert workbench.entry_names() == [
        "members.nominations_awaiting_review",
        "meetings.registrations_to_confirm",
        "meetings.waiting_list",
        "meetings.invitations_unanswered",
        "meetings.visa_letters_to_review",
        "meetings.actions_overdue",
        "meetings.minutes_comments_pending",
        "anso.mails_failed",
        "anso.imports_failed_or_stuck",
    ]
