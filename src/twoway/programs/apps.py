from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "twoway.programs"
    label = "programs"
    verbose_name = "Programs"
