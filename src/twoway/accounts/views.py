from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from twoway.accounts import selectors, services
from twoway.accounts.forms import AcceptInvitationForm, InvitationForm, SignInForm
from twoway.accounts.models import InvitationRole


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@login_required
@require_http_methods(["GET", "POST"])
def program_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    program = selectors.program_to_invite_to(request.user, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                program=program,
                invited_by=request.user,
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("accounts:accept-invitation", args=[token])
                ),
                **form.cleaned_data,
            )
        except services.InvitationError as error:
            field, _, message = str(error).partition(": ")
            form.add_error(field if field in form.fields else None, message or str(error))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:program-invitations", slug=program.slug)
    invitations = selectors.invitations_of(program)
    return render(
        request,
        "accounts/program_invitations.html",
        {
            "program": program,
            "form": form,
            "invitations": invitations,
            "ttl_days": settings.INVITATION_TTL_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(
            request, "accounts/invitation_unusable.html", {"reason": str(error)}, status=410
        )

    user = request.user if request.user.is_authenticated else None
    has_account = user is None and selectors.account_exists_for(invitation.email)
    if has_account:
        context = {"invitation": invitation, "sign_in_first": True}
        return render(request, "accounts/accept_invitation.html", context)
    form = None
    if user is None:
        # The name is filled in when the coordinator (or an import) gave one.
        form = AcceptInvitationForm(
            request.POST or None,
            email=invitation.email,
            initial={"full_name": invitation.full_name},
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                token=token,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except services.InvitationError as error:
            messages.error(request, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.program.name}.")
            if invitation.role == InvitationRole.PARTICIPANT:
                # A new participant's first task is their profile for this program.
                return redirect("profiles:welcome", slug=invitation.program.slug)
            return redirect("home")
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form}
    )
