from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from . import access


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Partners and staff get accounts by invitation from a coordinator; there is no public sign-up."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where a sign-in without ``?next=`` lands: coordinators in the admin, members on their partner pages."""
        user = request.user
        if access.is_coordinator(user):
            return reverse("admin:index")
        if access.memberships(user).exists():
            return reverse("partners:home")
        return super().get_login_redirect_url(request)
