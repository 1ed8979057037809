import pytest
from django.test import Client

from tests.factories import PositionFactory, UserFactory


@pytest.fixture
def member_user(db):
    """The sign-in account of a contact person of a member organization (members.access)."""
    person = PositionFactory().person
    person.user = UserFactory(username=f"member-{person.pk}")
    person.save(update_fields=["user"])
    return person.user


@pytest.fixture
def role_clients(
    client, member_user, secretariat_user, outsider_staff_user, superuser, password_only_user
):
    """A client per role of the documents' permission matrix."""
    clients = {"anonymous": client}
    for role, user in (
        ("member", member_user),
        ("signed_in", UserFactory(username="not-a-member")),
        ("outsider", outsider_staff_user),
        ("secretariat", secretariat_user),
        ("password_only", password_only_user),
        ("superuser", superuser),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    return clients
