"""No Save button on an admin page with nothing to save: a record the user may only view, a
record whose every field is read-only (the outbox, import and export jobs), and the records
kept by the site's own services (audit trails, mailings, document versions, sign-in records).

Walks the change page of every registered ModelAdmin, with the permission matrix's samples, as
a superuser and as a Secretariat member."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import samples  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

#: Written by the site and its worker only: nobody edits them by hand, superusers included.
READ_ONLY_BY_DESIGN = {
    "anso.outgoingmail",
    "anso.importjob",
    "anso.exportjob",
    "meetings.mailing",
    "meetings.mailingrecipient",
    "meetings.documentversion",
    "meetings.paper",
    "meetings.participationevent",
    "members.nominationevent",
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
SAVE_BUTTONS = ('name="_save"', 'name="_continue"', 'name="_addanother"', 'name="_saveasnew"')


def change_pages(samples):  # noqa: F811 (the fixture's value)
    for model in admin.site._registry:
        label = model._meta.label_lower
        obj = samples.get(label) or samples.get(model._meta.model_name)
        assert obj is not None, f"add a sample {label} to tests/test_permission_matrix.py"
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
        )
        yield label, url


def test_no_save_button_where_there_is_nothing_to_save(superuser, secretariat_user, samples):  # noqa: F811
    pages = list(change_pages(samples))
    checked, failures = set(), []
    for user in (superuser, secretariat_user):
        client = Client()
        client.force_login(user)
        for label, url in pages:
            response = client.get(url)
            if response.status_code != 200:  # not theirs to see (the permission matrix)
                continue
            checked.add(label)
            html = response.content.decode()
            context = response.context
            editable = bool(context["adminform"].form.fields) or bool(
                context["has_editable_inline_admin_formsets"]
            )
            shown = [button for button in SAVE_BUTTONS if button in html]
            if label in READ_ONLY_BY_DESIGN or not editable:
                if shown or 'class="closelink"' not in html:
                    failures.append(f"{label} as {user.username}: {shown}")
            elif 'name="_save"' not in html:
                failures.append(f"{label} as {user.username}: no Save")
    assert failures == [], "\n".join(failures)
    assert checked >= READ_ONLY_BY_DESIGN
