import re
import secrets

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from perhekeskus.voice.abuse import ProtectedForm
from services.models import LifeSituation
from services.search.filters import AgeFilter

ANSWER_MAX_LENGTH = 5000


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. The family reads it with their reply code (or gets it by e-mail if they asked)."),
    )


QUESTION_MAX_LENGTH = 2000
SUBMISSION_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def age_group_choices():
    """The search's age groups and life stages (services.search), so a question's age reads like the search's."""
    return AgeFilter().choices()


def age_group_label(value: str) -> str:
    return str(dict(age_group_choices()).get(value, value))


class AskForm(ProtectedForm):
    """A family's anonymous question. ``submission`` is the form's one-time key (``delivery.submit``)."""

    text_fields = ("message",)

    class ReplyBy(models.TextChoices):
        SITE = "site", _("With a reply code on this site")
        EMAIL = "email", _("By e-mail (and with the reply code)")

    message = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your question.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic (optional)"),
        queryset=LifeSituation.objects.all(),
        required=False,
        empty_label=_("No topic"),
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    age_group = forms.ChoiceField(
        label=_("Child's age (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose an age from the list.")},
    )
    reply_by = forms.ChoiceField(
        label=_("How do you want to get the answer?"),
        choices=ReplyBy.choices,
        initial=ReplyBy.SITE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you want to get the answer."),
            "invalid_choice": _("Choose how you want to get the answer."),
        },
    )
    email = forms.EmailField(
        label=_("Your e-mail address (only if you chose e-mail)"),
        help_text=_("Kept encrypted only until the answer has been sent to it, then erased."),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address like name@example.fi.")},
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = _(
            "At most %(count)s characters, plain text. Do not write your name or other details that identify you."
        ) % {"count": QUESTION_MAX_LENGTH}
        self.fields["message"].error_messages["max_length"] = _(
            "Shorten your question to at most %(limit_value)d characters (it has %(show_value)d)."
        )
        self.fields["age_group"].choices = [("", _("Not given")), *age_group_choices()]
        # A new key for each form shown; a form sent back with errors keeps the one it has (nothing was stored). A
        # post without a usable key is still stored (nothing lost), under a fresh one.
        posted = self.data.get("submission", "") if self.is_bound else ""
        if SUBMISSION_RE.fullmatch(posted):
            self.initial["submission"] = posted
        else:
            self.initial["submission"] = secrets.token_urlsafe(24)
            if self.is_bound:
                self.data["submission"] = self.initial["submission"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reply_by") == self.ReplyBy.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the e-mail address the answer should be sent to."))
        if cleaned.get("reply_by") != self.ReplyBy.EMAIL:
            cleaned["email"] = ""  # never kept unless the family chose e-mail
        return cleaned
