from django.utils.functional import SimpleLazyObject

from twoway.notifications.selectors import unread_count


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: one query, and only on pages that draw the bell.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
