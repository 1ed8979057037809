import datetime

import pytest
from django.urls import reverse

from members.models import MembershipStatus, Role
from members.views import ORGANIZATIONS_PER_PAGE, ROSTER_ORGANIZATIONS_PER_PAGE

from ..factories import OrganizationFactory, PositionFactory

pytestmark = pytest.mark.django_db


# -- working group ---------------------------------------------------------------------------


def test_working_group_groups_contact_persons_by_appointing_organization(client):
    cas = OrganizationFactory(name="Chinese Academy of Sciences")
    first = PositionFactory(person__organization=cas)
    second = PositionFactory(person__organization=cas)
    expert = PositionFactory(role=Role.EXPERT, appointed_by=None)
    ended = PositionFactory(end_date=datetime.date(2019, 12, 31))
    response = client.get(reverse("members:working_group"))
    roster = response.context["roster"]
    [group] = [g for g in roster.groups if g.organization == cas]
    assert {p.pk for p in group.positions} == {first.pk, second.pk}
    assert roster.experts == [expert]
    html = response.content.decode()
    assert expert.person.display_name in html
    assert ended.person.display_name not in html


def test_working_group_as_of_a_past_date(client):
    ended = PositionFactory(
        start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2019, 12, 31)
    )
    later = PositionFactory(start_date=datetime.date(2021, 1, 1))
    response = client.get(reverse("members:working_group"), {"date": "2019-05-13"})
    html = response.content.decode()
    assert ended.person.display_name in html
    assert later.person.display_name not in html
    assert 'value="2019-05-13"' in html


@pytest.mark.parametrize("value", ["abc", "2019-13-45", "1500-01-01", "9" * 300])
def test_working_group_bad_date_gives_a_form_error(client, value):
    PositionFactory()
    response = client.get(reverse("members:working_group"), {"date": value})
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert response.context["roster"] is None
    assert "is-invalid" in response.content.decode()


def test_working_group_roster_is_paginated_by_organization_with_experts_last(client):
    for _ in range(ROSTER_ORGANIZATIONS_PER_PAGE + 1):
        PositionFactory(start_date=datetime.date(2019, 1, 1))
    expert = PositionFactory(
        role=Role.EXPERT, appointed_by=None, start_date=datetime.date(2021, 1, 1)
    )
    url = reverse("members:working_group")

    first = client.get(url)
    assert len(first.context["page_obj"]) == ROSTER_ORGANIZATIONS_PER_PAGE
    assert expert.person.display_name not in first.content.decode()
    assert f"{ROSTER_ORGANIZATIONS_PER_PAGE + 2} members on" in first.content.decode()
    assert "?page=2#experts-heading" in first.content.decode()

    last = client.get(url, {"date": "2020-01-01", "page": "2"})
    assert len(last.context["page_obj"]) == 1
    assert expert.person.display_name not in last.content.decode()  # not a member in 2020
    last = client.get(url, {"page": "2"})
    assert expert.person.display_name in last.content.decode()
    assert client.get(url, {"page": "3"}).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_working_group_queries_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        PositionFactory()
        PositionFactory(role=Role.EXPERT, appointed_by=None)
    # organizations counted and paged, their contact persons, the experts, the members' count
    with django_assert_num_queries(5):
        response = client.get(reverse("members:working_group"))
    assert response.context["roster"].member_count == 2 * n


def test_working_group_loads_only_the_page_s_organizations(client):
    """The roster is paged in the query: a page holds its organizations' contact persons and
    no one else's, in the organizations' order."""
    for _ in range(ROSTER_ORGANIZATIONS_PER_PAGE + 1):
        PositionFactory()
    last = client.get(reverse("members:working_group"), {"page": "2"})
    roster = last.context["roster"]
    [group] = roster.groups
    assert [group.organization] == list(last.context["page_obj"])
    assert [p.appointed_by for p in group.positions] == [group.organization]
    assert roster.member_count == ROSTER_ORGANIZATIONS_PER_PAGE + 1


# -- member organizations --------------------------------------------------------------------


def test_organization_directory_groups_by_country_and_lists_members_only(client):
    kenya = OrganizationFactory(
        name="Kenya Institute", country="KE", joined_on=datetime.date(2018, 11, 4)
    )
    china = OrganizationFactory(name="Chinese Academy of Sciences", country="CN")
    partner = OrganizationFactory(name="Partner Org", membership_status=MembershipStatus.PARTNER)
    response = client.get(reverse("members:organization_list"))
    html = response.content.decode()
    assert kenya.name in html and china.name in html
    assert partner.name not in html
    assert html.index("China") < html.index("Kenya")
    assert "2018" in html


def test_organization_directory_is_paginated(client):
    OrganizationFactory.create_batch(ORGANIZATIONS_PER_PAGE + 1, country="KE")
    url = reverse("members:organization_list")
    first = client.get(url)
    assert len(first.context["page_obj"]) == ORGANIZATIONS_PER_PAGE
    assert f"{ORGANIZATIONS_PER_PAGE + 1} member organizations" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get(url, {"page": "2"}).context["page_obj"]) == 1
    assert client.get(url, {"page": "3"}).status_code == 404
    assert client.get(url, {"page": "abc"}).status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_organization_directory_queries_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        OrganizationFactory()
    with django_assert_num_queries(1):
        assert client.get(reverse("members:organization_list")).status_code == 200
