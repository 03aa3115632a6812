from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from twoway.home.selectors import home_for_user


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home/home.html", home_for_user(request.user))
