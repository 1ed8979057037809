"""The Secretariat's admin for mailings: the record of each mailing and its recipients (written
by the composer and the worker only, so read-only here), and the saved recipient lists. The
mails themselves, with their state and "send again", are in the outbox (anso's admin)."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from anso.admin_tools import AuditTrailAdminMixin, LongListAdminMixin

from ..admin_filters import MeetingWhenFilter
from .models import Mailing, MailingKind, MailingRecipient, RecipientList, RecipientState
from .selectors import UNANSWERED, invitations_with_state
from .services import mailing_deliver_again


class RecipientMeetingWhenFilter(MeetingWhenFilter):
    meeting_path = "mailing__meeting"


class InvitationAnswerFilter(admin.SimpleListFilter):
    """Invitations by their state (`invitations_with_state`, as the meeting's invitation page
    shows it), or all those not answered yet."""

    title = _("invitation")
    parameter_name = "invitation"

    def lookups(self, request, model_admin):
        return [("unanswered", _("not answered")), *RecipientState.choices]

    def queryset(self, request, queryset):
        return self.narrow(queryset, self.value())

    @staticmethod
    def narrow(queryset, value: str | None):
        if value == "unanswered":
            return invitations_with_state(queryset).filter(state__in=UNANSWERED)
        if value in RecipientState.values:
            return invitations_with_state(queryset).filter(state=value)
        return queryset


@admin.register(Mailing)
class MailingAdmin(AuditTrailAdminMixin, admin.ModelAdmin):
    list_display = ["subject_en", "kind", "meeting", "sent_to", "recipient_count",
                    "created_at", "sent_at"]  # fmt: skip
    list_filter = ["kind", "created_at"]
    search_fields = ["subject_en", "subject_zh_hans"]
    list_select_related = ["meeting"]
    fields = [
        "kind",
        "meeting",
        "recipients_label",
        "recipient_count",
        "tracking",
        ("subject_en", "subject_zh_hans"),
        ("body_en", "body_zh_hans"),
        "created_by",
        "created_at",
        "sent_at",
    ]
    readonly_fields = ["recipient_count", "tracking"]
    actions = ["send_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_recipients=Count("recipients"))

    def has_send_permission(self, request):
        return request.user.has_perm("meetings.send_mailing")

    @admin.action(description=_("Send again what never left"), permissions=["send"])
    def send_again(self, request, queryset):
        """A mailing the worker never wrote out (the queue was down when it was sent), or
        whose reminders were never written: handed to the worker again. Mail already in the
        outbox is not written twice; failed mail is sent again from the outbox."""
        count = mailing_deliver_again(mailings=list(queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d mailing handed to the worker again.",
                "%(count)d mailings handed to the worker again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.display(description=_("sent to"), ordering="recipients_label")
    def sent_to(self, obj):
        """Whom the mailing was written for, as the composer named them ("the working
        group", a saved list): the count beside it says how many people that was."""
        return obj.recipients_label

    @admin.display(description=_("number of recipients"), ordering="_recipients")
    def recipient_count(self, obj):
        return obj._recipients

    @admin.display(description=_("tracking"))
    def tracking(self, obj):
        if obj.kind != MailingKind.INVITATION or obj.meeting_id is None:
            url = (
                reverse("admin:meetings_mailingrecipient_changelist")
                + f"?mailing__id__exact={obj.pk}"
            )
            return format_html('<a href="{}">{}</a>', url, _("recipients"))
        url = reverse(
            "meetings:invitation_list",
            kwargs={"year": obj.meeting.start_date.year, "slug": obj.meeting.slug},
        )
        return format_html('<a href="{}">{}</a>', url, _("the meeting's invitation page"))


@admin.register(MailingRecipient)
class MailingRecipientAdmin(AuditTrailAdminMixin, LongListAdminMixin, admin.ModelAdmin):
    list_display = ["person", "address", "language", "mailing", "mail_status", "reminders_sent",
                    "declined_at", "replaces"]  # fmt: skip
    list_filter = [
        "mailing__kind",
        InvitationAnswerFilter,
        RecipientMeetingWhenFilter,
        "language",
        "mailing",
    ]
    search_fields = ["address", "person__family_name", "person__given_name"]
    list_select_related = ["person", "mailing", "mail", "replaces__person"]
    #: "substitute for": the declined invitation whose recipient named this person.
    fields = ["mailing", "person", "address", "language", "mail", "reminder_mail",
              "reminders_sent", "declined_at", "replaces"]  # fmt: skip

    @admin.display(description=_("mail"), ordering="mail__status")
    def mail_status(self, obj):
        return obj.mail.get_status_display() if obj.mail_id else _("not written yet")


@admin.register(RecipientList)
class RecipientListAdmin(admin.ModelAdmin):
    list_display = ["name", "size", "created_at"]
    search_fields = ["name"]
    autocomplete_fields = ["people"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_size=Count("people"))

    @admin.display(description=_("people"), ordering="_size")
    def size(self, obj):
        return obj._size
