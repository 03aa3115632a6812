from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "twoway.core"
    label = "core"
    verbose_name = "Core"
