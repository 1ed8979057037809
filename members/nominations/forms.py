"""Forms for contact-person nominations. Forms validate; services.py acts."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from anso.forms import ErrorSummaryFormMixin
from anso.text.hygiene import CleanTextFormMixin

from ..models import Organization, Person, Position, Role
from .models import Nomination, NominationKind
from .services import NominationDetails

PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9 ().\-/]{5,}(?: *(?:ext\.?|x) *[0-9]+)?$",
    _("Enter a phone number with digits, spaces and + ( ) - only, e.g. +86 10 6859 7000."),
)


class ContactPersonSelect(forms.Select):
    """A select whose options carry the organizations that appointed each contact person
    (`data-organizations`), so that the page script offers only the chosen organization's
    contact persons."""

    def __init__(self, *args, organizations_by_person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations_by_person = organizations_by_person or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        organizations = self.organizations_by_person.get(getattr(value, "value", value))
        if organizations:
            option["attrs"]["data-organizations"] = " ".join(
                str(pk) for pk in sorted(organizations)
            )
        return option


class MemberOrganizationChoiceField(forms.ModelChoiceField):
    """Labels carry the short name too, so that typing "CAS" finds the academy."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name


class ContactPersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class NominationForm(CleanTextFormMixin, ErrorSummaryFormMixin, forms.ModelForm):
    """The public nomination form. `website` is a honeypot: hidden from people, filled in by
    bots."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Nomination
        fields = [
            "organization",
            "kind",
            "honorific",
            "given_name",
            "family_name",
            "name_order",
            "name_original",
            "email",
            "job_title",
            "country",
            "phone",
            "replaces",
            "consent_to_publish",
            "submitter_name",
            "submitter_email",
            "submitter_role",
        ]
        labels = {
            "email": _("Nominee's email"),
            "phone": _("Phone"),
            "replaces": _("Replaces"),
            "consent_to_publish": _(
                "The nominee agrees that their name and organization are published on this site"
            ),
            "submitter_name": _("Your name"),
            "submitter_email": _("Your email"),
            "submitter_role": _("Your role in the organization"),
        }
        help_texts = {
            "organization": _("Type to search the member organizations."),
            "replaces": _(
                "If the nominee takes over from a current contact person of the organization."
            ),
            "consent_to_publish": _(
                "Without consent the nominee still joins the working group but is not listed "
                "on public pages."
            ),
            "submitter_email": _("The confirmation link is sent to this address."),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "submitter_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "submitter_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        field_classes = {
            "organization": MemberOrganizationChoiceField,
            "replaces": ContactPersonChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.queryset = Organization.objects.current_members().only(
            "pk", "name", "short_name"
        )
        organization.empty_label = _("Choose the member organization")
        organization.error_messages["invalid_choice"] = _(
            "Choose a current member organization of the alliance."
        )
        organization.widget.attrs["data-search-select"] = ""
        # What the search box says when nothing matches (static/js/nomination-form.js).
        organization.widget.attrs["data-no-results"] = _("No member organization matches.")

        replaces = self.fields["replaces"]
        positions = self._current_contact_positions()
        organizations_by_person: dict[int, set[int]] = {}
        for person_id, organization_id in positions.values_list("person", "appointed_by"):
            organizations_by_person.setdefault(person_id, set()).add(organization_id)
        replaces.queryset = Person.objects.filter(pk__in=positions.values("person")).order_by(
            "family_name", "given_name"
        )
        replaces.empty_label = _("Nobody (an additional contact person)")
        replaces.widget = ContactPersonSelect(
            attrs={"data-filter-by": "id_organization"},
            organizations_by_person=organizations_by_person,
        )
        replaces.widget.choices = replaces.choices
        replaces.error_messages["invalid_choice"] = _(
            "Choose one of the organization's current contact persons, or nobody."
        )
        self.fields["kind"].choices = NominationKind.choices
        self.fields["phone"].validators.append(PHONE_VALIDATOR)
        country = self.fields["country"]
        country.initial = ""
        country.choices = [("", _("Choose a country or region")), *countries]

        self.helper = FormHelper()
        self.helper.form_id = "nomination-form"
        # The page's address without its fragment: after the skip link (`#main`), a form
        # sent back with errors would otherwise move the focus to main, off the first error.
        self.helper.form_action = "members:nomination_create"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Member organization"), "organization", "kind"),
            Fieldset(
                _("The nominee"),
                Div(
                    Div("honorific", css_class="col-sm-3"),
                    Div("given_name", css_class="col-sm-4"),
                    Div("family_name", css_class="col-sm-5"),
                    css_class="row",
                ),
                "name_order",
                "name_original",
                "email",
                "job_title",
                "country",
                "phone",
                "replaces",
                "consent_to_publish",
            ),
            Fieldset(
                _("You, the person submitting"),
                "submitter_name",
                "submitter_email",
                "submitter_role",
            ),
            Div(Field("website"), css_class="d-none", aria_hidden="true"),
            HTML('{% include "members/includes/nomination_privacy_note.html" %}'),
            Submit("submit", _("Submit the nomination")),
        )

    @staticmethod
    def _current_contact_positions():
        """Current, publicly listed contact-person positions: the names the working-group page
        shows anyway, so the public form reveals no one else."""
        return (
            Position.objects.working_group()
            .held_on(timezone.localdate())
            .listed_publicly()
            .filter(role=Role.CONTACT_PERSON)
        )

    def clean_website(self):
        return self.cleaned_data.get("website", "")

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization")
        email = cleaned.get("email")
        replaces = cleaned.get("replaces")
        kind = cleaned.get("kind")
        today = timezone.localdate()
        if replaces and kind == NominationKind.EXPERT:
            self.add_error(
                "replaces",
                _(
                    "An expert does not replace a contact person; choose nobody, or nominate a "
                    "contact person."
                ),
            )
        elif organization and replaces:
            appointed = (
                Position.objects.working_group()
                .held_on(today)
                .filter(role=Role.CONTACT_PERSON, person=replaces, appointed_by=organization)
            )
            if not appointed.exists():
                self.add_error(
                    "replaces",
                    _("%(person)s is not a current contact person of %(organization)s.")
                    % {"person": replaces, "organization": organization},
                )
        # An open nomination of the same nominee is reported on "email" by Nomination.clean().
        if organization and email:
            role = Role.EXPERT if kind == NominationKind.EXPERT else Role.CONTACT_PERSON
            holds = (
                Position.objects.working_group()
                .held_on(today)
                .filter(person__email__iexact=email, role=role, appointed_by=organization)
            )
            if holds.exists():
                self.add_error(
                    "email",
                    _("This person is already in the working group for %(organization)s.")
                    % {"organization": organization},
                )
            if replaces and replaces.email and replaces.email.lower() == email.strip().lower():
                self.add_error("replaces", _("A person cannot replace themselves."))
        return cleaned

    def validate_constraints(self):
        # The open-nomination constraint repeats Nomination.clean(), which already put a
        # friendlier message on the email field.
        if not self.has_error("email"):
            super().validate_constraints()

    def details(self) -> NominationDetails:
        """The cleaned values that become the nomination's fields."""
        return NominationDetails(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class NominationRejectForm(ErrorSummaryFormMixin, CleanTextFormMixin, forms.Form):
    """The reason the Secretariat gives when rejecting; it is emailed to the submitter."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the person who submitted the nomination."),
    )


class NominationResendForm(CleanTextFormMixin, forms.Form):
    """The address the nomination was submitted with (the submitter's, not the nominee's)."""

    email = forms.EmailField(label=_("Your email (the submitter's)"), max_length=254)
