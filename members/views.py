"""The members' own public pages: the working group on a date and the member directory. The
pages of one organization and one person show their meetings too: meetings/site/views.py."""

from django.shortcuts import render
from django.utils import timezone

from anso.page_cache import page_shows
from anso.pagination import paginate

from . import selectors
from .cache_tags import BODIES, ORGANIZATIONS, ROSTER
from .forms import RosterDateForm

#: Member organizations (with their contact persons) a page of the roster lists; the experts
#: follow the last of them.
ROSTER_ORGANIZATIONS_PER_PAGE = 50


def working_group(request):
    """The working group on a date (today by default). An invalid date is a field error and
    no roster."""
    page_shows(request, ROSTER, ORGANIZATIONS, BODIES)
    today = timezone.localdate()
    # The page number is not part of the date form.
    form = RosterDateForm({k: v for k, v in request.GET.items() if k != "page"} or None)
    roster = page = None
    if not form.is_bound or form.is_valid():
        date = (form.cleaned_data["date"] or today) if form.is_bound else today
        page = paginate(
            request,
            selectors.working_group_organizations(date=date),
            per_page=ROSTER_ORGANIZATIONS_PER_PAGE,
        )
        roster = selectors.working_group_roster(
            date=date, organizations=page, experts=not page.has_next()
        )
    return render(
        request,
        "members/working_group.html",
        {"form": form, "roster": roster, "page_obj": page, "today": today},
    )


#: Member organizations a page of the directory lists.
ORGANIZATIONS_PER_PAGE = 100


def organization_list(request):
    """The member organizations by country or region, a hundred a page."""
    page_shows(request, ORGANIZATIONS)
    directory = selectors.member_directory()
    page = paginate(request, directory, per_page=ORGANIZATIONS_PER_PAGE)
    return render(request, "members/organization_list.html", {"page_obj": page})
