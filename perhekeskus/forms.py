"""Form fields shared by the admin and the partner pages."""

from django import forms
from django.core.validators import EMPTY_VALUES


class ChoiceArrayField(forms.TypedMultipleChoiceField):
    """An ArrayField whose items have choices (a service's languages, its ways of access) as labelled checkboxes.

    Django's own form field for an ArrayField is a comma-separated text box, which shows the raw codes
    ("fi,sv,en", "booking"). Give it as ``form_class`` to ``ArrayField.formfield()``: the choices come from the
    array's item field, with their translated labels.
    """

    def __init__(self, *, base_field, max_length=None, **kwargs):
        kwargs.setdefault(
            "choices", [(value, label) for value, label in base_field.choices if value not in EMPTY_VALUES]
        )
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}))
        super().__init__(**kwargs)
