from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from anso.pagination import paginate
from meetings import selectors as meeting_selectors

from . import selectors
from .forms import RosterDateForm
from .models import Organization, Person

#: Member organizations (with their contact persons) a page of the roster lists; the experts
#: follow the last of them.
ROSTER_ORGANIZATIONS_PER_PAGE = 50


def working_group(request):
    """The working group on a date (today by default). An invalid date is a field error and
    no roster."""
    today = timezone.localdate()
    # The page number is not part of the date form.
    form = RosterDateForm({k: v for k, v in request.GET.items() if k != "page"} or None)
    roster = groups = None
    if not form.is_bound:
        roster = selectors.working_group_roster(date=today)
    elif form.is_valid():
        roster = selectors.working_group_roster(date=form.cleaned_data["date"] or today)
    if roster is not None:
        groups = paginate(request, roster.groups, per_page=ROSTER_ORGANIZATIONS_PER_PAGE)
    return render(
        request,
        "members/working_group.html",
        {"form": form, "roster": roster, "page_obj": groups, "today": today},
    )


#: Member organizations a page of the directory lists.
ORGANIZATIONS_PER_PAGE = 100


def organization_list(request):
    """The member organizations by country or region, a hundred a page."""
    directory = selectors.member_directory()
    page = paginate(request, directory, per_page=ORGANIZATIONS_PER_PAGE)
    return render(request, "members/organization_list.html", {"page_obj": page})


def organization_detail(request, slug: str):
    try:
        organization = selectors.organization_get(slug=slug)
    except Organization.DoesNotExist as error:
        raise Http404(_("No such organization.")) from error
    today = timezone.localdate()
    return render(
        request,
        "members/organization_detail.html",
        {
            "organization": organization,
            "object": organization,
            "contact_persons": list(
                selectors.organization_contact_persons(organization=organization, date=today)
            ),
            "meetings": list(
                meeting_selectors.meetings_attended_by_organization(organization=organization)
            ),
        },
    )


def person_detail(request, slug: str):
    """A person's public record. Someone who holds no position and appears by name in no
    published meeting has no public page (404)."""
    try:
        person = Person.objects.select_related("organization").get(slug=slug)
    except Person.DoesNotExist as error:
        raise Http404(_("No such person.")) from error
    positions = list(selectors.person_positions(person=person))
    attended = list(meeting_selectors.meetings_attended_by_person(person=person))
    talks = list(meeting_selectors.person_talks(person=person))
    chaired = list(meeting_selectors.sessions_chaired_by(person=person))
    if not (positions or attended or talks or chaired):
        raise Http404(_("No such person."))
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
        },
    )
