from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "twoway.relationships"
    label = "relationships"
    verbose_name = "Relationships"
