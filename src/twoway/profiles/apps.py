from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_vocabulary(sender, **kwargs) -> None:
    # Every database, including each test database, starts with the shipped vocabulary.
    from twoway.profiles.vocabulary import skill_vocabulary_sync

    skill_vocabulary_sync()


class ProfilesConfig(AppConfig):
    name = "twoway.profiles"
    label = "profiles"
    verbose_name = "Profiles"

    def ready(self) -> None:
        post_migrate.connect(_sync_vocabulary, sender=self)
