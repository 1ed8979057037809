import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

#: The earliest date the roster form accepts (the alliance was launched in November 2018).
EARLIEST_ROSTER_DATE = datetime.date(2018, 1, 1)


class RosterDateForm(forms.Form):
    """The "as of" date of the working-group roster (today when left empty)."""

    date = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("See who was in the working group on this date."),
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date and date < EARLIEST_ROSTER_DATE:
            raise forms.ValidationError(
                _("Choose a date from %(year)s on."), params={"year": EARLIEST_ROSTER_DATE.year}
            )
        if date and date.year > 9000:
            raise forms.ValidationError(_("Choose a date in the foreseeable future."))
        return date
