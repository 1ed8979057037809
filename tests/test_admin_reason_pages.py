"""Every admin action that asks for a reason (or another answer) before it acts does it on the
one shared page: `reason_action` in anso/admin_tools.py and templates/admin/action_with_reason.html.

Such a page has to post the selection and the action back to the list, in the admin's
`_selected_action` inputs: only the shared template carries them, and only anso/admin_tools.py
names them in the code. An action that renders a page of its own fails here, whatever its
model; so does a template that posts a selection back by itself."""

import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from anso.admin_tools import REASON_TEMPLATE, reason_action
from members.nominations.models import Nomination, NominationStatus
from tests.factories import NominationFactory

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("anso", "members", "meetings")
SHARED_MODULE = ROOT / "anso" / "admin_tools.py"
SHARED_TEMPLATE = ROOT / "templates" / REASON_TEMPLATE
#: What an intermediate page of an action writes to post the selection back to the list.
SELECTION_MARKS = (ACTION_CHECKBOX_NAME, "ACTION_CHECKBOX_NAME", "action_checkbox_name")
#: What an action that renders a page itself calls.
PAGE_MARKS = ("TemplateResponse", "render(", "render_to_response", "render_to_string")
#: The actions that ask for a reason, and the model they are on.
REASON_ACTIONS = {
    "meetings.paper.revoke_selected",
    "meetings.visarequest.refuse_selected",
    "meetings.minutes.approve_selected",
    "members.nomination.reject_selected",
    "members.person.erase_selected",
}


def _project_files(*suffixes: str) -> list[Path]:
    roots = [ROOT / "templates", *(ROOT / package for package in PACKAGES)]
    return sorted(
        path
        for root in roots
        for suffix in suffixes
        for path in root.rglob(f"*{suffix}")
        if "migrations" not in path.parts
    )


def _actions(superuser) -> dict[str, object]:
    """The site's actions (its own, not Django's delete), by model and name."""
    request = RequestFactory().get("/")
    request.user = superuser
    return {
        f"{model._meta.label_lower}.{name}": action.func
        for model, model_admin in admin.site._registry.items()
        for name, action in model_admin.get_actions(request).items()
        if action.func.__module__.partition(".")[0] in PACKAGES  # Django's own left out
    }


def _calls_reason_action(func) -> bool:
    return f"{reason_action.__name__}(" in inspect.getsource(func)


def test_only_the_shared_template_posts_a_selection_back_to_its_list():
    templates = _project_files(".html", ".txt")
    assert SHARED_TEMPLATE in templates
    carrying = [
        str(path.relative_to(ROOT))
        for path in templates
        if path != SHARED_TEMPLATE and any(mark in path.read_text() for mark in SELECTION_MARKS)
    ]
    assert carrying == [], f"an action's page of its own: use reason_action ({REASON_TEMPLATE})"


def test_only_the_shared_helper_names_the_selection_in_the_code():
    naming = [
        str(path.relative_to(ROOT))
        for path in _project_files(".py")
        if path != SHARED_MODULE and any(mark in path.read_text() for mark in SELECTION_MARKS)
    ]
    assert naming == [], "an action's page of its own: use reason_action (anso/admin_tools.py)"


@pytest.mark.django_db
def test_no_admin_action_renders_a_page_of_its_own(superuser):
    actions = _actions(superuser)
    assert set(actions) >= REASON_ACTIONS
    own_pages = sorted(
        key
        for key, func in actions.items()
        if any(mark in inspect.getsource(func) for mark in PAGE_MARKS)
    )
    assert own_pages == [], "these actions render a page: ask on reason_action's page"
    assert {key for key, func in actions.items() if _calls_reason_action(func)} == REASON_ACTIONS


@pytest.mark.django_db
def test_the_reason_actions_ask_on_the_shared_page(superuser):
    """Each one, chosen from its list without a reason, answers with the shared page."""
    actions = _actions(superuser)
    for key in sorted(REASON_ACTIONS - {"meetings.minutes.approve_selected"}):
        # (The minutes ask only with one set selected: tests/meetings/record/test_minutes.py.)
        app_label, model_name, name = key.split(".")
        model_admin = admin.site.get_model_admin(apps.get_model(app_label, model_name))
        request = RequestFactory().post("/", {"action": name})
        request.user = superuser
        superuser.is_verified = lambda: True  # what the second-factor middleware says
        response = actions[key](model_admin, request, model_admin.model._default_manager.none())
        assert response.template_name == REASON_TEMPLATE, key


def test_a_reason_left_empty_is_said_at_the_top_and_at_the_field(secretariat_client):
    nominations = NominationFactory.create_batch(2)
    changelist = reverse("admin:members_nomination_changelist")
    data = {
        "action": "reject_selected",
        ACTION_CHECKBOX_NAME: [nomination.pk for nomination in nominations],
        "reason": "",
    }
    page = secretariat_client.post(f"{changelist}?status=awaiting_review", data)
    assert page.status_code == 200
    assert page.templates[0].name == REASON_TEMPLATE
    html = page.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_reason"' in html
    assert 'id="id_reason_error"' in html and 'aria-invalid="true"' in html
    for nomination in nominations:
        assert f'name="{ACTION_CHECKBOX_NAME}" value="{nomination.pk}"' in html
    assert 'name="action" value="reject_selected"' in html
    assert f'href="{changelist}?status=awaiting_review" class="button cancel-link"' in html
    assert not Nomination.objects.filter(status=NominationStatus.REJECTED).exists()


def test_a_page_chosen_from_the_list_has_no_error_yet(secretariat_client):
    nomination = NominationFactory()
    changelist = reverse("admin:members_nomination_changelist")
    page = secretariat_client.post(
        changelist, {"action": "reject_selected", ACTION_CHECKBOX_NAME: [nomination.pk]}
    )
    html = page.content.decode()
    assert 'id="error-summary"' not in html and "errorlist" not in html
    assert str(nomination) in html and 'aria-required="true"' in html


def test_the_button_s_page_posts_to_itself_and_goes_back_to_the_nomination(secretariat_client):
    nomination = NominationFactory()
    url = reverse("admin:members_nomination_reject", args=[nomination.pk])
    html = secretariat_client.get(url).content.decode()
    assert f'action="{url}"' in html and ACTION_CHECKBOX_NAME not in html
    change = reverse("admin:members_nomination_change", args=[nomination.pk])
    assert f'href="{change}" class="button cancel-link"' in html
