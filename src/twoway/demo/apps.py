from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "twoway.demo"
    label = "demo"
    verbose_name = "Demo organisation"
