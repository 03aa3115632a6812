from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "twoway.pairing"
    label = "pairing"
    verbose_name = "Pairing"
