from django import forms
from django.utils.translation import gettext_lazy as _

from perhekeskus.voice.abuse import DescribedErrorsForm, ProtectedForm

from . import codes

ANSWER_MAX_LENGTH = 5000


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. The family reads it with their reply code (or gets it by e-mail if they asked)."),
    )


# --- The family's answer page (views.reply) ---

REPLY_MAX_LENGTH = 2000


class ReplyCodeForm(DescribedErrorsForm):
    """The reply code as the family has it (on paper, in a note, copied): codes.normalise forgives how it is typed."""

    code = forms.CharField(
        label=_("Your reply code"),
        help_text=_(
            "24 letters and digits, shown when you sent your question, for example K7QM-3XRT-0D9E-… "
            "Spaces, dashes and small letters are fine."
        ),
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
                "aria-describedby": "id_code_helptext",
            }
        ),
    )

    # A reply written while the question was open on this device, sent back with the code after the opening expired:
    # shown again in the reply form once the code is right, so nothing the family wrote is lost.
    draft = forms.CharField(
        label=_("Your reply (not sent yet)"),
        required=False,
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "aria-describedby": "id_draft_helptext"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if codes.normalise(code) is None:
            raise forms.ValidationError(
                _("A reply code has 24 letters and digits (dashes and spaces do not count). Please check it."),
                code="malformed",
            )
        return code


class FamilyReplyForm(ProtectedForm):
    text_fields = ("message",)

    message = forms.CharField(
        label=_("Your reply"),
        help_text=_(
            "You can reply once. Plain text; please do not write your name or other details that identify you."
        ),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "aria-describedby": "id_message_helptext"}),
    )
