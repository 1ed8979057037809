"""Attendance pages: the public registration form, the registrant's link to their
registration and the request for a new one; for the Secretariat, check-in, the report and the
statistics dashboard."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from anso.security.bad_requests import bad_request
from anso.security.ratelimit import rate_limit_hit, rate_limit_hit_for
from anso.spreadsheets.formats import CSV, XLSX

from ..models import Meeting
from ..papers.visa import visa_request_submit
from ..papers.visa_forms import VISA_FIELDS
from ..services import meeting_summary_publish
from ..views import PublishedMeetingMixin, SecretariatMixin
from . import links, selectors, services
from .filters import StatisticsExportForm, StatisticsFilter
from .forms import (
    RegistrationChangeForm,
    RegistrationForm,
    RegistrationLinkRequestForm,
    ReportForm,
    WalkInForm,
)
from .models import Participation, ParticipationStatus, RegistrationWindow
from .reports import meeting_report_draft, report_participants
from .statistics import (
    meeting_trends,
    participants_by_country,
    participants_by_membership,
    participants_by_organization,
    statistics_dataset,
)

# --- public registration ------------------------------------------------------------------


#: Registration posts accepted from one address per hour (a shared office network registers
#: a delegation; a script does not get to fill the meeting).
REGISTRATION_POSTS_PER_HOUR = 30


def registration_rate_exceeded(request) -> bool:
    return not rate_limit_hit(
        request,
        scope="registration",
        limit=REGISTRATION_POSTS_PER_HOUR,
        period=60 * 60,
    ).allowed


def registration_rate_limited(request, *, form, render) -> HttpResponse | None:
    """The answer of the public registration form once the visitor's network has posted
    `REGISTRATION_POSTS_PER_HOUR` in the last hour: the form again with what the visitor typed
    (`form`, bound), the message, status 429; `render` is the view's `render(form, *, status)`.
    None while under the limit. A personal invitation link is not counted here: it has a
    limit of its own (`meetings.invitations.views`)."""
    if not registration_rate_exceeded(request):
        return None
    messages.error(
        request,
        _("Too many registrations from your network in the last hour. Please try again later."),
    )
    return render(form, status=429)


# The passport details are hidden from Django's error reports (meetings/papers/visa_forms.py).
@method_decorator(sensitive_post_parameters(*VISA_FIELDS), name="post")
class RegistrationCreateView(PublishedMeetingMixin, View):
    template_name = "meetings/registration_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = self.get_meeting()
        self.window = RegistrationWindow.objects.filter(meeting=self.meeting).first()
        if self.window is not None:
            self.window.meeting = self.meeting
        self.invitation = request.POST.get("invitation") or request.GET.get("invitation", "")
        return super().dispatch(request, *args, **kwargs)

    def closed_message(self) -> str:
        return selectors.registration_closed_message(
            window=self.window, now=timezone.now(), invitation=self.invitation
        )

    def render(self, form, *, status=200, closed_message=""):
        context = {
            "meeting": self.meeting,
            "window": self.window,
            "form": form,
            "invitation": self.invitation,
            "closed_message": closed_message,
        }
        response = render(self.request, self.template_name, context, status=status)
        if self.request.method == "POST":
            add_never_cache_headers(response)  # what was typed, passport details included
        return response

    def get(self, request, *args, **kwargs):
        return self.render(
            RegistrationForm(meeting=self.meeting), closed_message=self.closed_message()
        )

    def post(self, request, *args, **kwargs):
        limited = registration_rate_limited(
            request, form=RegistrationForm(request.POST, meeting=self.meeting), render=self.render
        )
        if limited is not None:
            return limited
        closed = self.closed_message()
        if closed:
            return self.render(
                RegistrationForm(meeting=self.meeting), status=403, closed_message=closed
            )
        form = RegistrationForm(request.POST, meeting=self.meeting)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            with transaction.atomic():  # the registration and its visa request, or neither
                result = services.registration_submit(
                    meeting=self.meeting,
                    details=form.details(),
                    invitation=self.invitation,
                    language=request.LANGUAGE_CODE,
                )
                # Only for a new registration: the form does not touch an existing one.
                visa_details = form.visa_details()
                if visa_details is not None and result.created:
                    visa_request_submit(participation=result.participation, details=visa_details)
        except services.RegistrationFull as error:
            form.add_error(None, error.message)
            return self.render(form, status=409)
        except services.RegistrationClosed as error:
            return self.render(form, status=403, closed_message=error.message)
        # The same answer whether or not the address was already registered (the service
        # then mails its owner their link): `result.created` is not for the visitor.
        if result.waitlisted:
            messages.warning(
                request,
                _(
                    "The meeting is full, so you are on the waiting list. Please check your "
                    "email: we have sent you a message with the link to your registration, "
                    "and will write if a seat becomes free."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "You are registered. Please check your email: we have sent you a message "
                    "with the link to view, change or cancel your registration."
                ),
            )
        return HttpResponseRedirect(
            reverse(
                "meetings:registration_done",
                kwargs={"year": self.meeting.start_date.year, "slug": self.meeting.slug},
            )
        )


class RegistrationDoneView(PublishedMeetingMixin, TemplateView):
    template_name = "meetings/registration_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)


class RegistrationManageView(PublishedMeetingMixin, View):
    """What the link in the registration mails opens: the registration, a form for the
    consent to the public list and the capacity, and a button to cancel (or to register again
    after cancelling). A tampered or replaced link changes nothing and says so; after the
    meeting the link has expired (410)."""

    template_name = "meetings/registration_manage.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = self.get_meeting()
        self.participation = links.registration_from_token(
            token=kwargs["token"], meeting=self.meeting
        )
        if self.participation is None:
            return render(
                request,
                "meetings/registration_link_invalid.html",
                {"meeting": self.meeting},
                status=404,
            )
        if links.registration_link_expired(meeting=self.meeting):
            # Who attended may still download their certificate of attendance (meetings/papers/).
            attended = self.participation.status == ParticipationStatus.ATTENDED
            context = {
                "meeting": self.meeting,
                "certificate_token": kwargs["token"] if attended else "",
            }
            return render(request, "meetings/registration_link_expired.html", context, status=410)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, *, status=200):
        context = {
            "meeting": self.meeting,
            "participation": self.participation,
            "form": form,
            "token": self.kwargs["token"],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(RegistrationChangeForm(participation=self.participation))

    def post(self, request, *args, **kwargs):
        participation = self.participation
        if "change" in request.POST:
            form = RegistrationChangeForm(request.POST, participation=participation)
            if not form.is_valid():
                return self.render(form, status=400)
            if services.registration_change(participation=participation, **form.cleaned_data):
                messages.success(request, _("Your changes are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
        elif "register_again" in request.POST:
            try:
                participation = services.registration_resume(participation=participation)
            except services.RegistrationError as error:
                messages.error(request, error.message)
            else:
                if participation.status == ParticipationStatus.WAITLISTED:
                    messages.warning(
                        request, _("The meeting is full: you are on the waiting list.")
                    )
                elif participation.holds_seat:
                    messages.success(request, _("You are registered again."))
        elif "cancel" in request.POST:
            if participation.status == ParticipationStatus.ATTENDED:
                messages.error(request, _("You have attended this meeting; nothing to cancel."))
            elif participation.status == ParticipationStatus.CANCELLED:
                messages.info(request, _("This registration was already cancelled."))
            else:
                services.registration_cancel(participation=participation)
                messages.success(request, _("Your registration is cancelled."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        return HttpResponseRedirect(request.path)


#: Requests for a new link accepted from one client per hour, and for one address whoever
#: asks: each new link replaces the one before, so a registrant's mailbox is not flooded and
#: their link not killed again and again.
REGISTRATION_LINK_REQUESTS_PER_HOUR = 10
REGISTRATION_LINK_REQUESTS_PER_EMAIL_PER_HOUR = 3


def registration_link_rate_exceeded(request) -> bool:
    return not rate_limit_hit(
        request,
        scope="registration-link",
        limit=REGISTRATION_LINK_REQUESTS_PER_HOUR,
        period=60 * 60,
    ).allowed


def registration_link_email_rate_exceeded(email: str) -> bool:
    return not rate_limit_hit_for(
        scope="registration-link-email",
        subject=email,
        limit=REGISTRATION_LINK_REQUESTS_PER_EMAIL_PER_HOUR,
        period=60 * 60,
    ).allowed


class RegistrationLinkRequestView(PublishedMeetingMixin, View):
    """ "Lost your link?": a visitor types their email and, if it is registered for the meeting,
    its owner is mailed a new link. The answer is the same either way."""

    template_name = "meetings/registration_link_request.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = self.get_meeting()
        self.expired = links.registration_link_expired(meeting=self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, *, status=200, error=""):
        context = {"meeting": self.meeting, "form": form, "expired": self.expired, "error": error}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(RegistrationLinkRequestForm())

    def post(self, request, *args, **kwargs):
        if self.expired:
            return self.render(RegistrationLinkRequestForm(), status=410)
        too_many = _(
            "Too many new links were asked for from your network or for this address in the "
            "last hour. Please try later."
        )
        if registration_link_rate_exceeded(request):
            return self.render(
                RegistrationLinkRequestForm(request.POST), status=429, error=too_many
            )
        form = RegistrationLinkRequestForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        email = form.cleaned_data["email"]
        if registration_link_email_rate_exceeded(email):
            return self.render(form, status=429, error=too_many)
        services.registration_link_request(meeting=self.meeting, email=email)
        messages.success(
            request,
            _(
                "If that address is registered for this meeting, we have sent a new link to it; "
                "the earlier link no longer works."
            ),
        )
        return HttpResponseRedirect(request.path)


# --- Secretariat: check-in, report, statistics -------------------------------------------------


class CheckInView(SecretariatMixin, View):
    """The check-in list. A badge's QR code opens it with `?code=`: the list shows that one
    participant, checked in by the list's own button (a POST), never by the scan itself."""

    template_name = "meetings/check_in.html"

    def render(self, walk_in_form, status=200):
        meeting = self.get_meeting()
        query = self.request.GET.get("q", "").strip()[:100]
        code = self.request.GET.get("code", "")
        if not code:
            rows = selectors.check_in_rows(meeting_id=meeting.pk, query=query)
        elif (participation_id := links.participation_id_from_check_in_code(code)) is not None:
            rows = selectors.check_in_rows(meeting_id=meeting.pk, participation_id=participation_id)
        else:
            rows = []  # a code the site did not sign names nobody
        context = self.staff_context(
            title=_("Check-in"),
            subtitle=meeting.title,
            meeting=meeting,
            rows=rows,
            badge_code=bool(code),
            query=query,
            limit=selectors.CHECK_IN_LIMIT,
            walk_in_form=walk_in_form,
            counts=selectors.attendance_counts(meeting_id=meeting.pk),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(WalkInForm())

    def post(self, request, *args, **kwargs):
        """A walk-in."""
        meeting = self.get_meeting()
        form = WalkInForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        participation = services.participation_walk_in_add(
            meeting=meeting, details=form.details(), by=request.user
        )
        messages.success(
            request, _("%(name)s added and checked in.") % {"name": participation.person}
        )
        return HttpResponseRedirect(request.path)


class CheckInSearchView(SecretariatMixin, View):
    """The rows of the check-in list for a search, as an HTML fragment (search-as-you-type)."""

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        query = request.GET.get("q", "").strip()[:100]
        return render(
            request,
            "meetings/includes/check_in_rows.html",
            {
                "meeting": meeting,
                "rows": selectors.check_in_rows(meeting_id=meeting.pk, query=query),
                "query": query,
                "limit": selectors.CHECK_IN_LIMIT,
            },
        )


class CheckInToggleView(SecretariatMixin, View):
    """One tap: check a participant in, or undo it. Answers a script with the new row, a
    plain form post with a redirect back to the list."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        participation = get_object_or_404(
            Participation.objects.filter(meeting=meeting), pk=kwargs["pk"]
        )
        action = request.POST.get("action")
        if action == "check_in":
            participation = services.participation_check_in(
                participation=participation, by=request.user
            )
            message = _("%(name)s checked in.")
        elif action == "undo":
            participation = services.participation_check_in_undo(
                participation=participation, by=request.user
            )
            message = _("Check-in of %(name)s undone.")
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        participation = Participation.objects.select_related("person", "organization").get(
            pk=participation.pk
        )
        if request.headers.get("X-Requested-With") == "fetch":
            response = render(
                request,
                "meetings/includes/check_in_row.html",
                {"meeting": meeting, "row": participation},
            )
            counts = selectors.attendance_counts(meeting_id=meeting.pk)
            response["X-Checked-In"] = str(counts.attended)
            response["X-Registered"] = str(counts.registered)
            return response
        messages.success(request, message % {"name": participation.person})
        return HttpResponseRedirect(
            reverse(
                "meetings:check_in",
                kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
            )
        )


class ReportView(SecretariatMixin, View):
    """The draft news report of a meeting, editable, savable as the published summary."""

    permission_required = "meetings.change_meeting"
    template_name = "meetings/report_form.html"

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        draft = meeting_report_draft(meeting=meeting)
        form = ReportForm(initial={"text": draft})
        return render(request, self.template_name, self.context(meeting, form=form, draft=draft))

    def context(self, meeting, **context) -> dict:
        return self.staff_context(
            title=_("Meeting report"), subtitle=meeting.title, meeting=meeting, **context
        )

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = ReportForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(meeting, form=form), status=400)
        if "print" in request.POST:
            return render(
                request,
                "meetings/report_print.html",
                report_print_context(self, meeting, text=form.cleaned_data["text"]),
            )
        meeting_summary_publish(meeting=meeting, text=form.cleaned_data["text"])
        messages.success(request, _("The report is saved as the meeting's published summary."))
        return HttpResponseRedirect(request.path)


class ReportPrintView(SecretariatMixin, View):
    permission_required = "meetings.view_meeting"

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        text = meeting.summary or meeting_report_draft(meeting=meeting)
        return render(
            request, "meetings/report_print.html", report_print_context(self, meeting, text=text)
        )


def report_print_context(view: SecretariatMixin, meeting: Meeting, *, text: str) -> dict:
    """The printable report: the meeting's title is the page's heading."""
    return view.staff_context(title=meeting.title, meeting=meeting, text=text)


class ParticipantListPrintView(SecretariatMixin, View):
    permission_required = "meetings.view_participation"

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        return render(
            request,
            "meetings/participant_list_print.html",
            self.staff_context(
                title=_("List of participants"),
                subtitle=meeting.title,
                meeting=meeting,
                participants=report_participants(meeting=meeting),
            ),
        )


class StatisticsDashboardView(SecretariatMixin, TemplateView):
    """Trends across meetings for the Secretariat, in the admin's look, filtered by body and
    year. A filter the form refuses is its message and a 400, without figures."""

    permission_required = "meetings.view_participation"
    template_name = "meetings/statistics_dashboard.html"

    def get(self, request, *args, **kwargs):
        filterset = StatisticsFilter(request.GET or None, queryset=Meeting.objects.all())
        context = self.get_context_data(filter=filterset, form=filterset.form)
        if filterset.is_bound and not filterset.is_valid():
            return self.render_to_response(context, status=400)
        query = filterset.query
        meetings = filterset.qs if query else None
        context.update(
            trends=meeting_trends(meetings=meetings),
            by_country=participants_by_country(meetings=meetings),
            by_membership=participants_by_membership(meetings=meetings),
            by_organization=participants_by_organization(meetings=meetings),
            is_filtered=bool(query),
            exports=[
                (
                    label,
                    [
                        (name, urlencode({**query, "table": table, "format": name}))
                        for name in ("csv", "xlsx")
                    ],
                )
                for table, label in StatisticsExportForm.base_fields["table"].choices
            ],
        )
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return self.staff_context(title=_("Attendance statistics"), **context)


class StatisticsExportView(SecretariatMixin, View):
    """One table of the statistics' figures as CSV or XLSX, for the meetings the filter
    chooses: counts by meeting, country or organization, never a person. Cells that a
    spreadsheet would run as formulas are escaped (anso.spreadsheets.formats)."""

    permission_required = "meetings.view_participation"

    def get(self, request, *args, **kwargs):
        filterset = StatisticsFilter(request.GET, queryset=Meeting.objects.all())
        choice = StatisticsExportForm(request.GET)
        for form in (filterset.form, choice):
            if not form.is_valid():
                return bad_request(request, _form_errors(form))
        meetings = filterset.qs if filterset.query else None
        table, file_format = choice.cleaned_data["table"], choice.cleaned_data["format"]
        dataset = statistics_dataset(table=table, meetings=meetings)
        writer = {"csv": CSV, "xlsx": XLSX}[file_format]()
        content = writer.export_data(dataset)
        if isinstance(content, str):
            content = content.encode("utf-8-sig")  # a spreadsheet program reads it as UTF-8
        name = slugify("-".join(["attendance", table, *filterset.query.values()]))
        response = HttpResponse(content, content_type=writer.get_content_type())
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
        add_never_cache_headers(response)  # the Secretariat's figures: kept by no cache
        return response


def _form_errors(form) -> str:
    """A form's messages, one after the other, for the 400 page."""
    return " ".join(
        f"{form.fields[name].label}: {message}" if name in form.fields else message
        for name, errors in form.errors.items()
        for message in errors
    )
