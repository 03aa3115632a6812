from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "twoway.notifications"
    label = "notifications"
    verbose_name = "Notifications"
