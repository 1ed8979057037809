"""An organization's and a person's public page: the members' records and the meetings."""

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from anso.caching.pages import page_shows
from anso.caching.tags import record_tag
from members import selectors as member_selectors
from members.cache_tags import BODIES, ORGANIZATIONS, organization_page_tag
from members.models import Organization, Person

from .. import selectors
from ..cache_tags import ACTIONS, MEETINGS
from ..documents.access import audience_of
from ..documents.listing import person_presentations


def organization_detail(request, slug: str):
    try:
        organization = member_selectors.organization_get(slug=slug)
    except Organization.DoesNotExist as error:
        raise Http404(_("No such organization.")) from error
    page_shows(
        request,
        record_tag(Organization, organization.pk),
        organization_page_tag(organization.pk),
        *([record_tag(Organization, organization.parent_id)] if organization.parent_id else []),
        MEETINGS,
        BODIES,
    )
    today = timezone.localdate()
    return render(
        request,
        "members/organization_detail.html",
        {
            "organization": organization,
            "object": organization,
            "contact_persons": list(
                member_selectors.organization_contact_persons(organization=organization, date=today)
            ),
            "meetings": list(
                selectors.meetings_attended_by_organization(organization=organization)
            ),
        },
    )


def person_detail(request, slug: str):
    """A person's public record. Someone who holds no position, appears by name in no
    published meeting and gave no presentation the visitor may read has no public page (404);
    nor has an erased person."""
    try:
        # An erased person (docs/personal-data.md) has no page.
        person = Person.objects.select_related("organization").get(
            slug=slug, erased_at__isnull=True
        )
    except Person.DoesNotExist as error:
        raise Http404(_("No such person.")) from error
    positions = list(member_selectors.person_positions(person=person))
    attended = list(selectors.meetings_attended_by_person(person=person))
    talks = list(selectors.person_talks(person=person))
    chaired = list(selectors.sessions_chaired_by(person=person))
    presentations = person_presentations(person=person, audience=audience_of(request))
    if not (positions or attended or talks or chaired or presentations):
        raise Http404(_("No such person."))
    organizations = {person.organization_id} | {p.organization_id for p in attended}
    organizations |= {p.appointed_by_id for p in positions} | {p.organization_id for p in positions}
    # A document they presented renews the person's tag (meetings/cache_tags.py).
    page_shows(
        request,
        record_tag(Person, person.pk),
        *(record_tag(Organization, pk) for pk in organizations if pk),
        MEETINGS,
        BODIES,
    )
    today = timezone.localdate()
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "object": person,
            "current_positions": [p for p in positions if not p.end_date or p.end_date >= today],
            "past_positions": [p for p in positions if p.end_date and p.end_date < today],
            "attended": attended,
            "talks": talks,
            "chaired": chaired,
            "presentations": presentations,
        },
    )


def sitemap(request, sitemaps):
    """The sitemap lists meetings, member organizations and actions."""
    page_shows(request, MEETINGS, BODIES, ORGANIZATIONS, ACTIONS)
    return sitemap_view(request, sitemaps)
