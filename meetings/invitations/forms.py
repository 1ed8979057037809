"""The composer of a mailing, and the registration form a personal invitation link opens.
Forms validate; services act."""

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anso.forms import RequiredMarkedFormMixin
from anso.text.hygiene import CleanTextFormMixin
from members.models import Person

from ..attendance.forms import RegistrationForm, email_field
from ..models import Meeting
from .models import MailingKind, MailingRecipient, RecipientList
from .selectors import RecipientGroup, substitute_problem
from .services import SubstituteDetails
from .templating import ANNOUNCEMENT_PLACEHOLDERS, PLACEHOLDERS, TemplateError, template_check

#: Placeholders a mailing without a meeting may use.
PERSONAL_PLACEHOLDERS = frozenset({"name", "organization"})


class ComposerForm(CleanTextFormMixin, forms.Form):
    """Who to write to and what. The templates are checked here: an unknown or malformed
    placeholder is an error on its field."""

    group = forms.ChoiceField(
        label=_("Group"), choices=RecipientGroup.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(
        label=_("On the date"),
        required=False,
        help_text=_("For the working group, the contact persons and the experts. Today if empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    recipient_list = forms.ModelChoiceField(
        label=_("Saved list"), queryset=RecipientList.objects.all(), required=False
    )
    registrants_of = forms.ModelChoiceField(
        label=_("Registrants of the meeting"),
        queryset=Meeting.objects.order_by("-start_date"),
        required=False,
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 12}))
    subject_zh_hans = forms.CharField(label=_("Subject (Chinese)"), max_length=200, required=False)
    body_zh_hans = forms.CharField(
        label=_("Text (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Recipients whose language is Chinese get it; the others, the English text."),
    )
    preview_person = forms.ModelChoiceField(
        label=_("Preview for"), queryset=Person.objects.all(), required=False
    )
    #: Made when the composer is first shown and carried by its previews: a second "Send" of
    #: the same form (a double click, a resent request) sends nothing more
    #: (`services.mailing_send`).
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def __init__(self, *args, kind: str, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", secrets.token_urlsafe(16))
        self.kind = kind
        self.meeting = meeting
        self.allowed = (
            frozenset(PLACEHOLDERS) if kind == MailingKind.INVITATION else ANNOUNCEMENT_PLACEHOLDERS
        )
        if kind == MailingKind.ANNOUNCEMENT:
            self.fields["meeting"] = forms.ModelChoiceField(
                label=_("About the meeting"),
                queryset=Meeting.objects.order_by("-start_date"),
                required=False,
                help_text=_("Optional: lets the text use {meeting}, {dates} and {venue}."),
            )

    @property
    def placeholders(self) -> list[tuple[str, str]]:
        return [
            (f"{{{name}}}", label) for name, label in PLACEHOLDERS.items() if name in self.allowed
        ]

    def clean_text_field(self, name: str, allowed: frozenset[str] | None = None):
        value = self.cleaned_data.get(name, "")
        try:
            template_check(value, allowed=allowed or self.allowed)
        except TemplateError as error:
            raise forms.ValidationError(str(error), code="placeholder") from error
        return value

    def clean_subject_en(self):
        return self.clean_text_field("subject_en")

    def clean_body_en(self):
        return self.clean_text_field("body_en")

    def clean_subject_zh_hans(self):
        return self.clean_text_field("subject_zh_hans")

    def clean_body_zh_hans(self):
        return self.clean_text_field("body_zh_hans")

    def clean(self):
        data = super().clean()
        if self.kind == MailingKind.ANNOUNCEMENT:
            self.meeting = data.get("meeting")
            if self.meeting is None:
                # Without a meeting, only the person's placeholders have a value.
                for name in ("subject_en", "body_en", "subject_zh_hans", "body_zh_hans"):
                    if name in data:
                        try:
                            self.clean_text_field(name, allowed=PERSONAL_PLACEHOLDERS)
                        except forms.ValidationError as error:
                            self.add_error(name, error)
        group = data.get("group")
        if group == RecipientGroup.SAVED_LIST and not data.get("recipient_list"):
            self.add_error("recipient_list", _("Choose a saved list."))
        if group == RecipientGroup.REGISTRANTS and not data.get("registrants_of"):
            self.add_error("registrants_of", _("Choose the meeting whose registrants to write to."))
        if bool(data.get("subject_zh_hans")) != bool(data.get("body_zh_hans")):
            self.add_error(
                "body_zh_hans" if data.get("subject_zh_hans") else "subject_zh_hans",
                _("Give both the Chinese subject and text, or neither."),
            )
        data["date"] = data.get("date") or timezone.localdate()
        return data

    def recipients_label(self) -> str:
        data = self.cleaned_data
        label = str(dict(RecipientGroup.choices)[data["group"]])
        if data["group"] == RecipientGroup.SAVED_LIST:
            return f"{label}: {data['recipient_list']}"
        if data["group"] == RecipientGroup.REGISTRANTS:
            return f"{label}: {data['registrants_of']}"
        return f"{label} ({data['date'].isoformat()})"


class InvitationRegistrationForm(RegistrationForm):
    """The registration form an invitation link opens: filled in from the person's record
    and the capacity they were invited in (`selectors.invited_capacity`), the email fixed to
    the invited person."""

    def __init__(self, *args, person: Person, address: str = "", capacity: str = "", **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "honorific": person.honorific,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "email": person.email or address,
                "phone": person.phone,
                "organization": person.organization_id,
                "country": person.country.code if person.country else "",
                "capacity": capacity,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("The address this invitation was sent to.")


class SubstituteForm(CleanTextFormMixin, RequiredMarkedFormMixin, forms.Form):
    """Who attends in the place of an invitee who cannot come: someone of their organization,
    not invited yet."""

    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        help_text=_("If they are known by one name only, put it here."),
    )
    email = email_field(help_text=_("Their personal invitation link is sent to this address."))

    def __init__(self, *args, recipient: MailingRecipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipient = recipient

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        problem = substitute_problem(recipient=self.recipient, email=email)
        if problem:
            raise forms.ValidationError(problem, code="substitute")
        return email

    def details(self) -> SubstituteDetails:
        data = self.cleaned_data
        return SubstituteDetails(
            family_name=data["family_name"].strip(),
            given_name=data["given_name"].strip(),
            email=data["email"],
        )
