from django import forms
from django.utils.translation import gettext_lazy as _

from anso.text.hygiene import CleanTextFormMixin

#: RFC 5321's limit on an address, as every form of the site.
EMAIL_MAX_LENGTH = 254


class SignInLinkRequestForm(CleanTextFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("The address the Secretariat has for you as a contact person."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "max_length": _("An email address can have at most %(limit_value)d characters.")
        },
    )


class SignInForm(forms.Form):
    """The button of the link's page: the token travels in the POST, not in a cookie."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    next = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)
