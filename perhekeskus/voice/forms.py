from django import forms
from django.utils.translation import gettext_lazy as _

from .abuse import ProtectedForm

REPORT_MAX_LENGTH = 2000
FEEDBACK_MAX_LENGTH = 500


class ProblemReportForm(ProtectedForm):
    text_fields = ("message",)

    message = forms.CharField(
        label=_("What is wrong or missing?"),
        help_text=_("For example a phone number that no longer works or opening hours that have changed."),
        min_length=5,
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reply_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        help_text=_("Only if you want a reply. It is deleted when the report has been handled."),
        required=False,
        max_length=254,
    )


class ServiceFeedbackForm(ProtectedForm):
    text_fields = ("text",)

    found = forms.TypedChoiceField(
        label=_("Did you find what you needed?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What could we do better? (optional)"),
        help_text=_("Please do not write personal information: this is not read as a message to the service."),
        required=False,
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
