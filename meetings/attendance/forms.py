"""Forms for registration, walk-ins and the meeting report. Forms validate; services act."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from anso.forms import ErrorSummaryFormMixin, RequiredMarkedFormMixin
from anso.text.hygiene import CleanTextFormMixin
from members.models import Organization

from ..papers.visa_forms import VISA_FIELDS, VisaRequestFormMixin
from .models import Capacity, Participation, ParticipationStatus
from .services import RegistrantDetails

#: What a visitor may say they come as; the Secretariat capacity is set by staff only.
PUBLIC_CAPACITIES = [choice for choice in Capacity.choices if choice[0] != Capacity.SECRETARIAT]

#: The empty first choice of the capacity, so that nobody is a delegate by default.
NO_CHOICE = ("", _("— choose —"))

#: The email column's length (RFC 5321 allows 254 characters in a path).
EMAIL_MAX_LENGTH = 254


def email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "max_length": _("An email address can have at most %(limit_value)d characters.")
        },
        **kwargs,
    )


def country_choices() -> list[tuple[str, str]]:
    """The countries named and sorted in the active language: a callable, so that the list
    is built for each form shown rather than once, in English, when the module loads."""
    return [("", _("Choose a country or region")), *countries]


class RegistrantForm(CleanTextFormMixin, ErrorSummaryFormMixin, forms.Form):
    honorific = forms.CharField(
        label=_("Honorific"), max_length=20, required=False, help_text=_("e.g. Prof., Dr., Ms.")
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        help_text=_("If you are known by one name only, put it here."),
    )
    email = email_field()
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Only the Secretariat sees it."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("— not in the list —"),
    )
    organization_name = forms.CharField(
        label=_("Organization, if not in the list"), max_length=200, required=False
    )
    country = LazyTypedChoiceField(
        label=_("Country or region"),
        choices=country_choices,
    )
    # No default: a delegate of a member organization chooses it (with the organization in
    # the list above); everyone else chooses another capacity.
    capacity = forms.ChoiceField(
        label=_("You attend as"),
        choices=[NO_CHOICE, *PUBLIC_CAPACITIES],
        help_text=_(
            "A member-organization delegate comes for an organization in the list above. "
            "If you come in another role, or your organization is not in the list, choose "
            "that capacity."
        ),
        error_messages={"required": _("Choose the capacity you attend in.")},
    )
    listed_publicly = forms.BooleanField(
        label=_("Show my name, organization and country in the public participant list"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        organization = data.get("organization")
        typed = (data.get("organization_name") or "").strip()
        if organization is None and typed:
            # A typed name that is in fact in the list is taken from the list.
            organization = Organization.objects.filter(
                Q(name__iexact=typed) | Q(short_name__iexact=typed)
            ).first()
            data["organization"] = organization
        if organization is None and not typed:
            self.add_error(
                "organization",
                _("Choose your organization from the list, or type its name below."),
            )
        data["organization_name"] = "" if organization else typed
        return data

    def details(self) -> RegistrantDetails:
        data = self.cleaned_data
        return RegistrantDetails(
            honorific=data["honorific"].strip(),
            given_name=data["given_name"].strip(),
            family_name=data["family_name"].strip(),
            email=data.get("email", "").strip().lower(),
            phone=data["phone"].strip(),
            organization=data.get("organization"),
            organization_name=data.get("organization_name", ""),
            country=data["country"],
            capacity=data["capacity"],
            listed_publicly=data.get("listed_publicly", False),
        )


class RegistrationForm(VisaRequestFormMixin, RegistrantForm):
    """The public form, and the personal invitation link's: with the box for a visa letter,
    whose details are checked against the meeting's dates (`meeting`)."""

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.helper = FormHelper()
        # The page writes the <form> (the invitation's hidden field, the legend).
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("About you"), "honorific", "given_name", "family_name", "email", "phone"),
            Fieldset(
                _("At the meeting"), "organization", "organization_name", "country", "capacity"
            ),
            Fieldset(_("Privacy"), "listed_publicly"),
            Fieldset(
                _("Visa"),
                "needs_visa",
                Div(*VISA_FIELDS, css_id="visa-details", css_class="visa-details"),
            ),
            Submit("register", _("Register")),
        )


class RegistrationChangeForm(CleanTextFormMixin, forms.Form):
    """What a registrant may change through their link: the consent to the public list and,
    before the meeting has recorded them, the capacity (a Secretariat capacity, set by staff,
    is left alone)."""

    listed_publicly = forms.BooleanField(
        label=_("Show my name, organization and country in the public participant list"),
        required=False,
    )
    capacity = forms.ChoiceField(label=_("You attend as"), choices=PUBLIC_CAPACITIES)

    def __init__(self, *args, participation: Participation, **kwargs):
        kwargs.setdefault(
            "initial",
            {"listed_publicly": participation.listed_publicly, "capacity": participation.capacity},
        )
        super().__init__(*args, **kwargs)
        recorded = participation.status in {
            ParticipationStatus.ATTENDED,
            ParticipationStatus.ABSENT,
        }
        if recorded or participation.capacity not in dict(PUBLIC_CAPACITIES):
            del self.fields["capacity"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *self.fields, Submit("change", _("Save changes"), css_class="btn-primary")
        )


class RegistrationLinkRequestForm(CleanTextFormMixin, RequiredMarkedFormMixin, forms.Form):
    email = email_field(help_text=_("The address you registered with."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("email", Submit("send", _("Send me a new link")))


class WalkInForm(RegistrantForm):
    """A participant added at the door. The email is optional; the capacity may be any."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields["email"].help_text = _("Optional; an existing person is found by email.")
        self.fields["capacity"].choices = [NO_CHOICE, *Capacity.choices]
        self.fields["country"].required = False

    #: The fields asked at the door, in this order (the honorific and the phone wait).
    SHOWN = (
        "given_name",
        "family_name",
        "email",
        "organization",
        "organization_name",
        "country",
        "capacity",
        "listed_publicly",
    )

    def shown_fields(self) -> list:
        return [self[name] for name in self.SHOWN]


class ReportForm(CleanTextFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=20_000,
        help_text=_(
            "Drafted from the records. Edit freely, then save it as the published summary."
        ),
    )
