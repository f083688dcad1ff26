from django.db import models


class OrganisationQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(areas=area)

    def public_providers(self):
        return self.filter(kind__in=["wellbeing_area", "municipality"])


class InvitationQuerySet(models.QuerySet):
    def pending(self, now):
        """Invitations that can still be accepted at *now*."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
