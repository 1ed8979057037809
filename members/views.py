"""The members' own public pages: the working group on a date and the member directory. The
pages of one organization and one person show their meetings too: meetings/site/views.py."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from anso.caching.pages import page_shows
from anso.pagination import paginate

from . import selectors
from .announcements import announcements_opt_out, person_from_unsubscribe_token
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


@never_cache  # personal: what it says depends on the person's choice
@csrf_exempt  # the one-click POST of RFC 8058 comes from a mail program, without a token
def announcements_unsubscribe(request, token):
    """The unsubscribe link of an announcement: GET asks for confirmation, POST opts out
    (the page's button, or a mail program's one-click `List-Unsubscribe=One-Click` POST). The
    signed token names the person; the only change is their opt-out of announcements, so no
    CSRF token is needed."""
    person = person_from_unsubscribe_token(token)
    if person is None:
        return render(
            request, "members/announcements_unsubscribe.html", {"invalid": True}, status=404
        )
    if request.method == "POST":
        announcements_opt_out(person=person)
        return render(request, "members/announcements_unsubscribe.html", {"done": True})
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "members/announcements_unsubscribe.html",
        {"already": person.announcements_opted_out_at is not None},
    )
