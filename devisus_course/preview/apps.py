from django.apps import AppConfig


class PreviewConfig(AppConfig):
    name = "devisus_course.preview"
    label = "devisus_preview"
    verbose_name = "DEVISUS course preview"
