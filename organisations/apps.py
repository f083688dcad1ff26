from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and areas")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from organisations import staff

        user_logged_in.connect(staff.start_session, dispatch_uid="organisations.staff.start_session")
        authenticator_added.connect(staff.record_activation, dispatch_uid="organisations.staff.record_activation")
