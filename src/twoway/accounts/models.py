"""People who sign in, and the invitations that bring them in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone

from twoway.core.models import one_of
from twoway.core.validators import validate_timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> User:
        # Addresses are stored lower-case; people type them in any case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address and a password."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=60, blank=True)
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="IANA name; dates are shown in it",
    )
    is_staff = models.BooleanField(
        default=False, help_text="Staff admins can use the Django admin."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=django_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0] or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.display_name


class InvitationRole(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    COORDINATOR = "coordinator", "Coordinator"
    SPONSOR = "sponsor", "Sponsor"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _default_expiry():
    return django_timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=django_timezone.now())

    def for_token(self, token: str) -> InvitationQuerySet:
        return self.filter(token_hash=_hash_token(token))


class Invitation(models.Model):
    """A single-use, expiring invitation sent by e-mail.

    Only a hash of the token is stored: a leaked database does not hand out
    working sign-up links.
    """

    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=InvitationRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=django_timezone.now)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
            one_of("role", InvitationRole, name="invitation_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.program} ({self.role})"

    def set_new_token(self) -> str:
        """Give the invitation a fresh token and return it; only its hash is kept."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _hash_token(token)
        return token

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= django_timezone.now()

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None
