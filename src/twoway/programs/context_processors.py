from django.utils.functional import SimpleLazyObject

from twoway.programs.models import Participant


def participation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: the query runs only on pages that ask (the navigation does).
    return {
        "user_is_participant": SimpleLazyObject(
            lambda: Participant.objects.filter(user=user).exists()
        )
    }
