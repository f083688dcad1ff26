from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q


class OrganisationQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(areas=area)

    def public_providers(self):
        return self.filter(kind__in=["wellbeing_area", "municipality"])


class InvitationQuerySet(models.QuerySet):
    def pending(self, now):
        """Invitations that can still be accepted at *now*."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class MembershipQuerySet(models.QuerySet):
    def notified_of_questions(self):
        """The professionals a family's anonymous question to their organisation is mailed to (active, with an
        address)."""
        return self.filter(role="professional", user__is_active=True).exclude(user__email="")


def receives_questions(organisation: str = "pk") -> ExpressionWrapper:
    """An annotation: True where an anonymous question reaches someone at the organisation (*organisation* is its
    path from the annotated model; "pk" for organisations themselves): one of its professionals, else its own
    e-mail address (``perhekeskus.contact.delivery.notification_recipients``). A subquery of the row's own query, so
    a page asking it costs no query of its own."""
    from .models import Membership

    email = "email" if organisation == "pk" else f"{organisation}__email"
    professionals = Membership.objects.notified_of_questions().filter(organisation=OuterRef(organisation))
    return ExpressionWrapper(~Q(**{email: ""}) | Exists(professionals), output_field=BooleanField())
