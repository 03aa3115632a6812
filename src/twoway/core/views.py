from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from twoway.core.health import database_answers


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and uptime checks."""
    if database_answers(timeout=settings.HEALTH_CHECK_TIMEOUT):
        return JsonResponse({"status": "ok", "database": "ok", "version": settings.VERSION})
    body = {"status": "error", "database": "unreachable", "version": settings.VERSION}
    return JsonResponse(body, status=503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that was open too long, or without its cookie."""
    return render(request, "403_csrf.html", status=403)
