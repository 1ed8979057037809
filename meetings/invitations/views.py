"""Pages of invitations and announcements: for the Secretariat, the composer and a meeting's
invitation page with its reminder button; for the invited, the page their personal link
opens (register, or decline)."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from anso.pagination import paginate
from anso.security.ratelimit import rate_limit_hit_for

from ..attendance import services as attendance
from ..attendance.models import Participation, ParticipationStatus, RegistrationWindow
from ..models import Meeting
from ..papers.visa import visa_request_submit
from ..papers.visa_forms import VISA_FIELDS
from ..views import PublishedMeetingMixin, SecretariatMixin
from . import selectors, services
from .defaults import default_templates
from .forms import ComposerForm, InvitationRegistrationForm, SubstituteForm
from .links import invitation_link_expired, invitation_list_path, recipient_from_token
from .models import Mailing, MailingKind, MailingRecipient, RecipientState
from .templating import TemplateError

#: Recipients per page of the invitation page and of the composer's list.
RECIPIENTS_PER_PAGE = 50

#: Posts accepted through one personal invitation link per hour (registering, a form sent
#: back with a mistake, declining). The link is the proof of who posts: it is counted on its
#: own and never against the network's registration limit, so a delegation behind one
#: institutional address is not locked out of its own links.
INVITATION_LINK_POSTS_PER_HOUR = 10


class ComposerView(SecretariatMixin, View):
    """Write a mailing: choose the recipients, write the text from a template, preview it for
    one recipient, send. "Preview" shows who gets it (and who is skipped, and why) and the
    mail as that recipient will read it; "Send" stores the recipients and hands the writing
    and sending of the mails to the worker."""

    permission_required = "meetings.send_mailing"
    template_name = "meetings/mailing_compose.html"
    kind = MailingKind.INVITATION

    @cached_property
    def meeting(self) -> Meeting | None:
        """The meeting named by the URL (published or not), read once the access is checked."""
        return self.get_meeting() if self.kind == MailingKind.INVITATION else None

    def form(self, data=None) -> ComposerForm:
        initial = {"group": selectors.RecipientGroup.WORKING_GROUP, **default_templates(self.kind)}
        return ComposerForm(data, kind=self.kind, meeting=self.meeting, initial=initial)

    def render(self, form, *, pick=None, preview=None, status=200):
        meeting = self.meeting
        context = self.staff_context(
            title=_("Invite people") if meeting else _("New announcement"),
            subtitle=meeting.title if meeting else "",
            kind=self.kind,
            meeting=meeting,
            form=form,
            pick=pick,
            preview=preview,
            people_page=(
                paginate(self.request, pick.people, per_page=RECIPIENTS_PER_PAGE) if pick else None
            ),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def pick(self, form) -> selectors.RecipientPick:
        data = form.cleaned_data
        people = selectors.group_people(
            group=data["group"],
            date=data["date"],
            recipient_list=data.get("recipient_list"),
            meeting=data.get("registrants_of"),
        )
        return selectors.recipients_pick(people=people, kind=self.kind, meeting=form.meeting)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render(form, status=400)
        if "send" in request.POST:
            earlier = selectors.mailing_sent_from(
                submission_key=form.cleaned_data["submission_key"]
            )
            if earlier is not None:
                return self.already_sent(earlier)
        pick = self.pick(form)
        if "send" not in request.POST:
            return self.render(form, pick=pick, preview=self.preview(form, pick))
        if not pick.people:
            messages.error(request, _("Nobody to send to: every person of the group is skipped."))
            return self.render(form, pick=pick, status=400)
        try:
            mailing = services.mailing_send(
                draft=self.draft(form),
                people=pick.people,
                by=request.user,
            )
        except services.MailingAlreadySent as already:  # the same form, at the same moment
            return self.already_sent(already.mailing)
        count = len(pick.people)
        messages.success(
            request,
            ngettext(
                "The mailing to %(count)d person is queued; the worker writes and sends it.",
                "The mailing to %(count)d people is queued; the worker writes and sends them.",
                count,
            )
            % {"count": count},
        )
        return self.sent(mailing)

    def sent(self, mailing: Mailing):
        if mailing.kind == MailingKind.INVITATION:
            return HttpResponseRedirect(invitation_list_url(mailing.meeting))
        return HttpResponseRedirect(mailing.get_absolute_url())

    def already_sent(self, mailing: Mailing):
        """A second "Send" of the same form (a double click, a resent request): nothing more
        is sent; the Secretariat lands where the first one took them."""
        messages.info(self.request, _("This mailing was already sent; it was not sent again."))
        return self.sent(mailing)

    def draft(self, form) -> services.MailingDraft:
        data = form.cleaned_data
        return services.MailingDraft(
            kind=self.kind,
            meeting=form.meeting,
            subject_en=data["subject_en"],
            body_en=data["body_en"],
            subject_zh_hans=data["subject_zh_hans"],
            body_zh_hans=data["body_zh_hans"],
            recipients_label=form.recipients_label(),
            submission_key=data["submission_key"],
        )

    def preview(self, form, pick):
        """The mail as the chosen recipient (else the first) will get it; nothing is saved and
        the link in it does not work."""
        chosen = form.cleaned_data.get("preview_person")
        people = pick.people
        person = next((p for p in people if chosen and p.pk == chosen.pk), None) or (
            people[0] if people else None
        )
        if person is None:
            return None
        mailing = self.draft(form).mailing()
        recipient = MailingRecipient(
            mailing=mailing,
            person=person,
            address=person.email,
            language=person.mail_language,
            key="preview",
        )
        try:
            mail = services.mailing_render(mailing=mailing, recipient=recipient)
        except TemplateError:  # checked by the form; kept as a safety net
            return None
        return {"person": person, "recipient": recipient, "mail": mail}


class AnnouncementComposerView(ComposerView):
    kind = MailingKind.ANNOUNCEMENT


def invitation_list_url(meeting: Meeting) -> str:
    return invitation_list_path(meeting=meeting)


class InvitationListView(SecretariatMixin, View):
    """A meeting's invitations: each mailing's progress (while it is sent) or the moment it
    was sent, how many recipients are in each state, the list of those in one state (by
    default, those who have not answered), and a reminder once the rule offers one
    (`selectors.reminder_offer`)."""

    permission_required = "meetings.view_mailing"
    template_name = "meetings/invitation_list.html"

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        state = request.GET.get("state", "")
        if state not in RecipientState.values:
            state = ""
        recipients = selectors.recipients_with_state(meeting=meeting)
        recipients = (
            recipients.filter(state=state)
            if state
            else recipients.filter(state__in=selectors.UNANSWERED)
        )
        counts = selectors.invitation_counts(meeting=meeting)
        context = self.staff_context(
            title=_("Invitations"),
            subtitle=meeting.title,
            meeting=meeting,
            state=state,
            states=[(value, label, counts[value]) for value, label in RecipientState.choices],
            total=sum(counts.values()),
            unanswered=sum(counts[value] for value in selectors.UNANSWERED),
            mailings=selectors.mailings_progress(meeting=meeting),
            reminder=selectors.reminder_offer(meeting=meeting, now=timezone.now()),
            reminder_days=settings.INVITATION_REMINDER_AFTER_DAYS,
            page=paginate(request, recipients, per_page=RECIPIENTS_PER_PAGE),
        )
        return render(request, self.template_name, context)


class InvitationRemindView(SecretariatMixin, View):
    """POST only: queue a reminder to those who have not answered."""

    permission_required = "meetings.send_mailing"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        count = services.invitation_reminders_queue(meeting=meeting, now=timezone.now())
        if count:
            messages.success(
                request,
                ngettext(
                    "A reminder to %(count)d person is queued.",
                    "A reminder to %(count)d people is queued.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(
                request,
                _("Nobody to remind now: everyone has answered, or has not had time to yet."),
            )
        return HttpResponseRedirect(invitation_list_url(meeting))


@method_decorator(never_cache, name="dispatch")  # personal, and its state changes
# The passport details are hidden from Django's error reports (meetings/papers/visa_forms.py).
@method_decorator(sensitive_post_parameters(*VISA_FIELDS), name="post")
class InvitationRespondView(PublishedMeetingMixin, View):
    """What an invitation's personal link opens: the meeting's registration form, filled in
    from the person's record and bound to them (their address, admitted to an invitation-only
    meeting), or a button to decline. Registering goes through the registration service."""

    template_name = "meetings/invitation_respond.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = self.get_meeting()
        self.recipient = recipient_from_token(token=kwargs["token"], meeting=self.meeting)
        if self.recipient is None:
            return render(
                request,
                "meetings/invitation_link_invalid.html",
                {"meeting": self.meeting},
                status=404,
            )
        self.window = RegistrationWindow.objects.filter(meeting=self.meeting).first()
        if invitation_link_expired(window=self.window):
            return render(
                request,
                "meetings/invitation_link_expired.html",
                {"meeting": self.meeting},
                status=410,
            )
        self.window.meeting = self.meeting
        self.person = self.recipient.person
        return super().dispatch(request, *args, **kwargs)

    def participation(self) -> Participation | None:
        return (
            Participation.objects.filter(meeting=self.meeting, person=self.person)
            .exclude(status=ParticipationStatus.CANCELLED)
            .first()
        )

    def render(self, form, *, status=200, substitute_form=None):
        substitute = (
            MailingRecipient.objects.select_related("person")
            .filter(replaces=self.recipient)
            .first()
        )
        context = {
            "meeting": self.meeting,
            "recipient": self.recipient,
            "person": self.person,
            "participation": self.participation(),
            "form": form,
            "substitute": substitute,
            "substitute_form": (
                substitute_form or SubstituteForm(recipient=self.recipient)
                if self.recipient.declined_at and substitute is None
                else None
            ),
        }
        return render(self.request, self.template_name, context, status=status)

    def registration_form(self, data=None) -> InvitationRegistrationForm:
        """The registration form, bound to `data`, else filled in (the capacity from why the
        person was invited)."""
        capacity = (
            ""
            if data is not None
            else selectors.invited_capacity(person=self.person, meeting=self.meeting)
        )
        return InvitationRegistrationForm(
            data,
            person=self.person,
            address=self.recipient.address,
            capacity=capacity,
            meeting=self.meeting,
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.registration_form())

    def rate_limited(self, form):
        """429 with `Retry-After` once the link has posted `INVITATION_LINK_POSTS_PER_HOUR`
        in the hour (the form again with what was typed); None while under the limit."""
        hit = rate_limit_hit_for(
            scope="invitation-link",
            subject=str(self.recipient.pk),
            limit=INVITATION_LINK_POSTS_PER_HOUR,
            period=60 * 60,
        )
        if hit.allowed:
            return None
        messages.error(
            self.request,
            _("Too many attempts through this link in the last hour. Please try again later."),
        )
        response = self.render(form, status=429)
        response["Retry-After"] = str(hit.retry_after)
        return response

    def post(self, request, *args, **kwargs):
        registering = not ({"decline", "substitute"} & set(request.POST))
        form = self.registration_form(request.POST if registering else None)
        limited = self.rate_limited(form)
        if limited is not None:
            return limited
        if "decline" in request.POST:
            services.invitation_decline(recipient=self.recipient)
            messages.success(
                request,
                _(
                    "Your answer is recorded: you cannot come. Thank you for letting us know. "
                    "You may name a substitute from your organization below."
                ),
            )
            return HttpResponseRedirect(request.path)
        if "substitute" in request.POST:
            return self.substitute(form)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            with transaction.atomic():  # the registration and its visa request, or neither
                result = attendance.registration_submit(
                    meeting=self.meeting,
                    details=form.details(),
                    # The invitation admits its recipient to an invitation-only meeting.
                    invitation=self.window.invitation_token,
                    language=request.LANGUAGE_CODE,
                    now=timezone.now(),
                )
                # The link is the person's own: their request is recorded with their
                # registration, new or not.
                visa_details = form.visa_details()
                if visa_details is not None:
                    visa_request_submit(participation=result.participation, details=visa_details)
        except attendance.RegistrationError as error:
            form.add_error(None, error.message)
            return self.render(form, status=409)
        if result.waitlisted:
            messages.warning(
                request,
                _("The meeting is full, so you are on the waiting list. Please check your email."),
            )
        else:
            messages.success(
                request,
                _(
                    "You are registered. Please check your email: we have sent you a message "
                    "with the link to view, change or cancel your registration."
                ),
            )
        return HttpResponseRedirect(request.path)

    def substitute(self, form):
        """The invitee who declined names who comes in their place: the service invites
        them in the same mailing and tells the Secretariat."""
        substitute_form = SubstituteForm(self.request.POST, recipient=self.recipient)
        if not substitute_form.is_valid():
            return self.render(form, status=400, substitute_form=substitute_form)
        try:
            substitute = services.invitation_substitute(
                recipient=self.recipient,
                details=substitute_form.details(),
                language=self.request.LANGUAGE_CODE,
            )
        except services.SubstitutionError as error:
            self.recipient.refresh_from_db()
            messages.error(self.request, error.message)
            return self.render(form, status=409, substitute_form=substitute_form)
        messages.success(
            self.request,
            _(
                "%(name)s will receive an invitation of their own by mail. The Secretariat "
                "has been told. Thank you."
            )
            % {"name": substitute.person.display_name},
        )
        return HttpResponseRedirect(self.request.path)
