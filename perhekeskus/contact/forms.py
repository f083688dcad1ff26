from django import forms
from django.utils.translation import gettext_lazy as _

ANSWER_MAX_LENGTH = 5000


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. The family reads it with their reply code (or gets it by e-mail if they asked)."),
    )
