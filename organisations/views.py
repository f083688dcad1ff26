"""The invitation link's page: accept an invitation as a new account (choose a password) or as the signed-in one."""

from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from . import access, invitations, staff
from .forms import AcceptInvitationForm
from .models import Invitation


def unavailable(request, invitation: Invitation | None):
    """Unknown and used links get the same 404 page (nothing tells whether an address has an account); expired and
    revoked ones say so with 410, since only the holder of the link sees that."""
    state = invitation.state_at(timezone.now()) if invitation else None
    status = 410 if state in (Invitation.State.EXPIRED, Invitation.State.REVOKED) else 404
    return render(request, "organisations/invitation_unavailable.html", {"state": state}, status=status)


def landing_url(user) -> str:
    """Where an invitee goes once a member: coordinators to the admin (which asks for two-factor set-up first),
    partners to the page that offers it."""
    if access.is_coordinator(user):
        return reverse("admin:index")
    return reverse("invitation-welcome")


def _is_for(user, invitation: Invitation) -> bool:
    return invitations.account_for(invitation.email) == user


@method_decorator(never_cache, name="dispatch")
class InvitationAcceptView(View):
    template_name = "organisations/invitation_accept.html"

    def dispatch(self, request, token):
        self.token = token
        self.invitation = invitations.find(token)
        if self.invitation is None or self.invitation.state_at(timezone.now()) != Invitation.State.PENDING:
            return unavailable(request, self.invitation)
        return super().dispatch(request, token)

    def get(self, request, token):
        if request.user.is_authenticated:
            return self._render(form=None)
        if invitations.account_for(self.invitation.email) is not None:
            messages.info(request, _("You already have an account: sign in to accept the invitation."))
            return redirect_to_login(request.get_full_path())
        return self._render(form=AcceptInvitationForm(email=self.invitation.email))

    def post(self, request, token):
        if request.user.is_authenticated:
            return self._accept_as(request.user)
        if invitations.account_for(self.invitation.email) is not None:
            return redirect_to_login(request.get_full_path())
        form = AcceptInvitationForm(request.POST, email=self.invitation.email)
        if not form.is_valid():
            return self._render(form=form)
        try:
            _invitation, user = invitations.accept_invitation(token=token, password=form.cleaned_data["password1"])
        except invitations.InvitationUnavailable:
            return unavailable(request, invitations.find(token))
        # allauth's own login flow. The password was chosen in this very request, so it also counts as a fresh
        # confirmation: setting up two-factor authentication next does not ask for it again.
        record_authentication(request, user, "password", email=user.email, reauthenticated=True)
        return perform_login(request, Login(user=user, email=user.email, redirect_url=landing_url(user)))

    def _accept_as(self, user):
        if not _is_for(user, self.invitation):
            return self._render(form=None, wrong_account=True)
        try:
            invitation, user = invitations.accept_invitation(token=self.token, user=user)
        except invitations.InvitationUnavailable:
            return unavailable(self.request, invitations.find(self.token))
        staff.continue_session(self.request)
        messages.success(
            self.request,
            _("You are now a member of %(organisation)s.") % {"organisation": invitation.organisation.name},
        )
        return redirect(landing_url(user))

    def _render(self, *, form, wrong_account=False):
        user = self.request.user
        context = {
            "invitation": self.invitation,
            "form": form,
            "wrong_account": wrong_account or (user.is_authenticated and not _is_for(user, self.invitation)),
        }
        return render(self.request, self.template_name, context)


@never_cache
@login_required
def welcome(request):
    """After accepting as a partner: two-factor authentication is offered (and may be skipped)."""
    return render(request, "organisations/invitation_welcome.html", {"next_url": reverse("partners:home")})
