from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import access, invitations
from .models import Invitation, Membership


class OrganisationAdminForm(forms.ModelForm):
    """The admin's organisation form: it must name at least one wellbeing area, and a coordinator one of their own
    (an organisation without them would vanish from the coordinator's scope the moment it is saved).

    A superuser may keep an existing nationwide organisation (one that has no areas) as it is. The admin sets ``user``.
    """

    user = None

    def clean_areas(self):
        areas = self.cleaned_data.get("areas")
        if access.is_national(self.user):
            if not areas and (self.instance.pk is None or self.instance.areas.exists()):
                raise forms.ValidationError(_("Choose at least one wellbeing area the organisation works in."))
            return areas
        own = access.coordinated_areas(self.user)
        if not areas or not areas.filter(pk__in=own.values("pk")).exists():
            raise forms.ValidationError(
                _(
                    "Choose at least one of your own wellbeing areas (%(areas)s): without one the organisation would "
                    "leave your areas, and you could no longer see or edit it."
                )
                % {"areas": ", ".join(str(area) for area in own.order_by("name"))}
            )
        return areas


class InvitationForm(forms.ModelForm):
    """The admin's "invite" form: the choices are limited to what the signed-in coordinator may invite to."""

    class Meta:
        model = Invitation
        fields = ("email", "organisation", "role", "areas", "language")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The change page shows a sent invitation read-only, without these fields.
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = access.invitable_organisations(user)
        if "areas" in self.fields:
            self.fields["areas"].queryset = access.coordinated_areas(user)

    def clean(self):
        cleaned = super().clean()
        role, areas, organisation = cleaned.get("role"), cleaned.get("areas"), cleaned.get("organisation")
        if role == Membership.Role.COORDINATOR and not areas:
            self.add_error("areas", _("Choose the areas the coordinator will coordinate."))
        elif role and role != Membership.Role.COORDINATOR and areas:
            self.add_error("areas", _("Only coordinators have areas; leave this empty for other roles."))
        elif organisation and role and not access.may_invite(self.user, organisation, role, areas or ()):
            self.add_error(None, _("You may not invite people to this organisation in this role."))
        email = cleaned.get("email")
        if email and organisation and self.instance.pk is None:
            pending = invitations.pending_invitation(email=email, organisation=organisation)
            if pending is not None:
                self.add_error("email", already_invited_message(pending))
        return cleaned


def already_invited_message(pending: Invitation):
    """The form error naming the pending invitation (with a link to it) and what to do instead of inviting again."""

    def day(moment):
        return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")

    text = gettext(
        "%(email)s already has a pending invitation to %(organisation)s as %(role)s, sent %(sent)s and valid until "
        "%(expires)s. To send its link again, choose it in the list of invitations and use “Send again with a new "
        "link”; to invite in another role, revoke it first."
    ) % {
        "email": pending.email,
        "organisation": pending.organisation,
        "role": pending.get_role_display(),
        "sent": day(pending.created_at),
        "expires": day(pending.expires_at),
    }
    url = reverse("admin:organisations_invitation_change", args=[pending.pk])
    return format_html('{} <a href="{}">{}</a>', text, url, gettext("Open the pending invitation"))


class AcceptInvitationForm(forms.Form):
    """Choose the password of the account an invitation creates (with the site's password rules)."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("You must type the same password each time."))
        elif first:
            # The validators compare the password with the address (the account does not exist yet).
            candidate = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
