"""Invitations: the only way to an account. A coordinator invites an address to an organisation in a role; the
invitee opens the e-mailed link, sets a password (or signs in to the account they have) and becomes a member.

The link's token is 128 random bits from ``secrets``; only its SHA-256 hash is stored, so the token exists only in the
e-mail. Resending draws a new token (the old link stops working), since the old one cannot be recovered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Invitation, Membership, Organisation

TOKEN_BYTES = 16  # 128 bits
EMAIL_LANGUAGES = ("fi", "sv")  # an invitation without a language is written in both


class InvitationUnavailable(Exception):
    """The token is unknown, already used, revoked or expired: nothing is accepted."""


class AlreadyInvited(Exception):
    """The address already has a pending invitation to the organisation (``pending``): no second one is made."""

    def __init__(self, pending: Invitation):
        super().__init__(pending.pk)
        self.pending = pending


def pending_invitation(*, email: str, organisation, now=None) -> Invitation | None:
    """The invitation of *email* to *organisation* that can still be accepted, if any."""
    return (
        Invitation.objects.pending(now or timezone.now())
        .filter(organisation=organisation, email=email.strip().lower())
        .order_by("-created_at")
        .first()
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS)
    return token


def find(token: str) -> Invitation | None:
    """The invitation behind *token*, whatever its state (None for an unknown token)."""
    return Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()


def accept_url(token: str, language: str, base_url: str) -> str:
    with translation.override(language):
        return base_url.rstrip("/") + reverse("invitation-accept", kwargs={"token": token})


def send_invitation(*, invitation: Invitation, invited_by, base_url: str) -> str:
    """Give *invitation* a fresh token and expiry, save it and e-mail the link after the commit; returns the token.

    Used for a new invitation and to resend one: the link in any earlier e-mail stops working. A new invitation to an
    address that already has a pending one to the organisation raises ``AlreadyInvited`` (two live links, perhaps in
    different roles, would leave the invitee guessing which one counts); the coordinator resends or revokes that one.
    """
    invitation.email = invitation.email.strip().lower()
    with transaction.atomic():
        if invitation.pk is None:
            # The organisation's row is the lock: two coordinators inviting one address at once make one invitation.
            Organisation.objects.select_for_update().filter(pk=invitation.organisation_id).first()
            pending = pending_invitation(email=invitation.email, organisation=invitation.organisation_id)
            if pending is not None:
                raise AlreadyInvited(pending)
            invitation.invited_by = invited_by
        token = _new_token(invitation)
        invitation.full_clean(exclude=["areas"])
        invitation.save()
    transaction.on_commit(lambda: _send_mail(invitation, token, base_url))
    return token


def _send_mail(invitation: Invitation, token: str, base_url: str) -> None:
    languages = [invitation.language] if invitation.language else list(EMAIL_LANGUAGES)
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(gettext("Invitation to the Family Centre"))
            bodies.append(
                render_to_string(
                    "organisations/email/invitation.txt",
                    {
                        "invitation": invitation,
                        "role": invitation.get_role_display(),
                        "url": accept_url(token, language, base_url),
                        "expires_at": timezone.localtime(invitation.expires_at),
                    },
                ).strip()
            )
    send_mail(" / ".join(subjects), "\n\n----\n\n".join(bodies), None, [invitation.email])


@transaction.atomic
def revoke_invitation(*, invitation: Invitation) -> bool:
    """Withdraw a pending invitation so that its link stops working; False if it was already accepted or revoked."""
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(updated)


def account_for(email: str):
    """The active account that owns *email* (its login address or a verified allauth address), if any."""
    users = get_user_model()._default_manager.filter(is_active=True)
    user = users.filter(email__iexact=email).first()
    if user is None:
        verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user")
        user = users.filter(pk__in=verified).first()
    return user


@transaction.atomic
def accept_invitation(*, token: str, user=None, password: str | None = None):
    """Use the invitation once: create the account (with *password*) or take *user*'s, and make it a member.

    The invitation row is locked first, so two simultaneous acceptances of one link give one account: the second
    finds it accepted and raises ``InvitationUnavailable``. Coordinators become staff (the staff middleware then asks
    them to set up two-factor authentication before anything else).
    """
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).select_related("organisation")
    ).first()
    if invitation is None or invitation.state_at(timezone.now()) != Invitation.State.PENDING:
        raise InvitationUnavailable
    if user is None:
        user = _create_account(invitation.email, password)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    if invitation.role == Membership.Role.COORDINATOR:
        membership.areas.add(*invitation.areas.all())
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation, user


def _create_account(email: str, password: str):
    if account_for(email) is not None:
        # Someone made the account meanwhile: they sign in and accept as that account.
        raise InvitationUnavailable
    user = get_user_model()(username=_free_username(email), email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _free_username(email: str) -> str:
    """The address itself as the (never shown) username, cut to the field's length and made unique."""
    model = get_user_model()
    limit = model._meta.get_field("username").max_length
    base = email[:limit]
    candidate, n = base, 1
    while model._default_manager.filter(username=candidate).exists():
        n += 1
        candidate = f"{base[: limit - len(str(n)) - 1]}-{n}"
    return candidate
