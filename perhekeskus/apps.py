from django.apps import AppConfig


class PerhekeskusConfig(AppConfig):
    """The project package as an app, so its system checks are registered."""

    name = "perhekeskus"
    verbose_name = "Perhekeskus"

    def ready(self):
        from perhekeskus import checks  # noqa: F401 (registers the checks)
