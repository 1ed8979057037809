"""An approved nominee appears on the public pages only with consent to publish."""

import pytest
from django.urls import reverse

from members.nominations import services
from tests.factories import BodyFactory, NominationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("consent", [True, False])
def test_approved_nominee_on_public_pages_only_with_consent(client, consent):
    BodyFactory()
    organization = OrganizationFactory(name="Kenya Academy of Sample Sciences")
    nomination = NominationFactory(
        organization=organization,
        given_name="Amina",
        family_name="Otieno",
        consent_to_publish=consent,
    )
    position = services.nomination_approve(
        nomination=nomination, reviewer=UserFactory(is_staff=True)
    )
    pages = [
        client.get(reverse("members:working_group")).content.decode(),
        client.get(organization.get_absolute_url()).content.decode(),
    ]
    for html in pages:
        assert ("Amina Otieno" in html) is consent
        assert nomination.email not in html
    person_page = client.get(position.person.get_absolute_url())
    assert person_page.status_code == (200 if consent else 404)
