"""What every public form shares beyond text hygiene (anso/text/hygiene.py): required fields
said to be required to assistive technology.

Django writes `required` on a required field's control, but not on a select whose first
choice has a value (the name order: a browser could never find it empty), and crispy-forms
marks the label with an asterisk either way. `RequiredMarkedFormMixin` adds
`aria-required="true"` to every required control that is not disabled, so that what the
asterisk shows is what a screen reader says; a group of radio buttons keeps `required` on
each button (ARIA puts `aria-required` on the group, which the legend names)."""

from django import forms


class RequiredMarkedBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        grouped = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        if self.field.required and not self.field.disabled and not grouped:
            attrs["aria-required"] = "true"
        return attrs


class RequiredMarkedFormMixin:
    """Required controls carry `aria-required="true"` (see the module's docstring)."""

    bound_field_class = RequiredMarkedBoundField
