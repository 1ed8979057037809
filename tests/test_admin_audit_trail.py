"""An audit trail is written by the services only: every admin that shows one, on its own page
or inline on another model's page, is `AuditTrailAdminMixin`, so that nobody adds, changes or
deletes its rows, superusers included."""

import pytest
from django.contrib import admin
from django.urls import reverse

from anso.admin_tools import AuditTrailAdminMixin
from members.nominations import services
from members.nominations.models import NominationEvent, NominationStatus

from .factories import NominationFactory

pytestmark = pytest.mark.django_db


def test_every_inline_of_an_audit_trail_is_read_only_by_the_same_mixin():
    audited = {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, AuditTrailAdminMixin)
    }
    inlines = [
        inline
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        if inline.model in audited
    ]
    assert {inline.model for inline in inlines} >= {NominationEvent}
    for inline in inlines:
        assert issubclass(inline, AuditTrailAdminMixin), inline


def test_the_nominations_audit_trail_cannot_be_edited_from_its_page(client, superuser):
    nomination = NominationFactory(status=NominationStatus.UNCONFIRMED)
    services.nomination_confirm(nomination=nomination)
    client.force_login(superuser)
    page = client.get(reverse("admin:members_nomination_change", args=[nomination.pk]))
    assert page.status_code == 200
    (inline,) = [
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is NominationEvent
    ]
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    assert "Confirmed by the submitter" in page.content.decode()
