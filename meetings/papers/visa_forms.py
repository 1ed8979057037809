"""The registration form's part for a visa letter (docs/papers.md, "Visa letters"): a box, and
the details a consulate needs, asked only when it is ticked. The page shows them at once
without JavaScript; static/js/visa-request.js hides them until the box is ticked."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from ..models import Meeting
from .visa import VisaDetails, stay_bounds

#: The fields asked when the box is ticked, in the order shown.
VISA_FIELDS = (
    "visa_passport_name",
    "visa_nationality",
    "visa_passport_number",
    "visa_date_of_birth",
    "visa_arrival",
    "visa_departure",
    "visa_consulate",
)


def nationality_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country or region")), *countries]


class DateInput(forms.DateInput):
    input_type = "date"


class VisaRequestFormMixin(forms.Form):
    """Mixed into a registration form that knows its meeting (`self.meeting`)."""

    needs_visa = forms.BooleanField(
        label=_("I need a letter of invitation for my visa"), required=False
    )
    visa_passport_name = forms.CharField(
        label=_("Name as in the passport"), max_length=200, required=False
    )
    visa_nationality = LazyTypedChoiceField(
        label=_("Nationality"), choices=nationality_choices, required=False
    )
    visa_passport_number = forms.CharField(
        label=_("Passport number"), max_length=40, required=False
    )
    visa_date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    visa_arrival = forms.DateField(label=_("Arrival"), required=False, widget=DateInput)
    visa_departure = forms.DateField(label=_("Departure"), required=False, widget=DateInput)
    visa_consulate = forms.CharField(
        label=_("Consulate where you apply"),
        max_length=200,
        required=False,
        help_text=_("e.g. Consulate-General of China in Lagos"),
    )

    meeting: Meeting | None = None

    def clean(self):
        data = super().clean()
        if not data.get("needs_visa"):
            for name in VISA_FIELDS:
                data.pop(name, None)
            return data
        for name in VISA_FIELDS:
            if name in self.errors:
                continue
            value = data.get(name)
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                self.add_error(name, _("Needed for the letter of invitation."))
        birth = data.get("visa_date_of_birth")
        if birth and birth >= timezone.localdate():
            self.add_error("visa_date_of_birth", _("A date of birth is in the past."))
        arrival, departure = data.get("visa_arrival"), data.get("visa_departure")
        if arrival and departure and departure < arrival:
            self.add_error("visa_departure", _("The departure is on or after the arrival."))
        if self.meeting is not None:
            first, last = stay_bounds(self.meeting)
            message = _("The letter covers a stay from %(first)s to %(last)s.") % {
                "first": first.isoformat(),
                "last": last.isoformat(),
            }
            if arrival and not first <= arrival <= last:
                self.add_error("visa_arrival", message)
            if departure and not first <= departure <= last:
                self.add_error("visa_departure", message)
        return data

    def visa_details(self) -> VisaDetails | None:
        """What was asked for the letter; None when the box was not ticked."""
        data = self.cleaned_data
        if not data.get("needs_visa"):
            return None
        date_of_birth: datetime.date = data["visa_date_of_birth"]
        return VisaDetails(
            passport_name=data["visa_passport_name"].strip(),
            nationality=data["visa_nationality"],
            passport_number=data["visa_passport_number"].strip(),
            date_of_birth=date_of_birth,
            arrival=data["visa_arrival"],
            departure=data["visa_departure"],
            consulate=data["visa_consulate"].strip(),
        )
