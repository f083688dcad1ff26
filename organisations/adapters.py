from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Partners and staff get accounts by invitation from a coordinator; there is no public sign-up."""

    def is_open_for_signup(self, request):
        return False
