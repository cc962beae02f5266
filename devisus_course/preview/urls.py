"""The preview's URLs: its own index and course pages, then everything the workbench serves."""

from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("", views.index, name="preview_index"),
    re_path(r"^course/(?P<language>[a-z]{2})/$", views.outline, name="preview_outline"),
    re_path(r"^course/(?P<language>[a-z]{2})/(?P<url_name>[A-Za-z0-9_.-]+)/$", views.unit, name="preview_unit"),
    # DEBUG is off (settings.py), so neither runserver nor the workbench's staticfiles_urlpatterns()
    # serve static files: the workbench's runtime JS and the preview's CSS, found by the
    # staticfiles finders, are served here (a local preview: Django's view is enough).
    re_path(r"^static/(?P<path>.+)$", serve_static, {"insecure": True}),
    # The ORA2 block's handlers, through the runtime ORA2 needs (preview/workshop/runtime.py).
    path("workshop/", include("devisus_course.preview.workshop.urls")),
    # The workbench's pages (scenarios, handlers, resources); its own index is shadowed by ours.
    path("", include("workbench.urls")),
]

handler404 = "devisus_course.preview.errors.page_not_found"
handler500 = "devisus_course.preview.errors.server_error"
