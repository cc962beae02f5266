"""The preview's URLs: its own index and course pages, then everything the workbench serves."""
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("", views.index, name="preview_index"),
    re_path(r"^course/(?P<language>[a-z]{2})/$", views.outline, name="preview_outline"),
    re_path(r"^course/(?P<language>[a-z]{2})/(?P<url_name>[A-Za-z0-9_.-]+)/$", views.unit, name="preview_unit"),
    # The workbench's pages (scenarios, handlers, resources); its own index is shadowed by ours.
    path("", include("workbench.urls")),
]
