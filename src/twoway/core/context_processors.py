from django.conf import settings


def site(request) -> dict:
    return {"twoway_version": settings.VERSION}
