"""The preview's URLs: its own pages (index, course, block scenarios, errors), then the workbench
URLs the blocks need (handlers, package resources, the JavaScript catalog) and none of the rest.
"""

from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path
from workbench import urls as workbench_urls

from . import scenario, views

# The workbench URLs that blocks call (handler and resource URLs built by its runtime with
# reverse()) and the JavaScript catalog of its i18n runtime. Left out on purpose: its index and
# stock scenario pages (ours replace them), its /view/ pages, and its debugging tools: the Django
# admin (a dump of every block's fields, "Scenario State"), /reset_state (deletes everyone's
# state, CSRF-exempt) and /userlist/. Taken from xblock-sdk's workbench/urls.py by name, so its
# URL patterns stay the reference.
WORKBENCH_URLS_KEPT = {"handler", "aside_handler", "unauth_handler", "package_resource", "javascript-catalog"}

urlpatterns = [
    path("", views.index, name="preview_index"),
    re_path(r"^course/(?P<language>[a-z]{2})/$", views.outline, name="preview_outline"),
    re_path(
        r"^course/(?P<language>[a-z]{2})/problems/(?P<student>[A-Za-z0-9_-]{1,40})/(?P<url_name>[A-Za-z0-9_.-]+)/"
        r"(?P<dispatch>[a-z_]+)$",
        views.problem_handler,
        name="preview_problem_handler",
    ),
    re_path(
        r"^problem-resource/(?P<uri>public/[a-z]+/[A-Za-z.]+)$", views.problem_resource, name="preview_problem_resource"
    ),
    # Before the unit pages, whose url_name pattern would take "progress".
    re_path(r"^course/(?P<language>[a-z]{2})/progress/$", views.progress, name="preview_progress"),
    re_path(r"^course/(?P<language>[a-z]{2})/(?P<url_name>[A-Za-z0-9_.-]+)/$", views.unit, name="preview_unit"),
    # The workbench's scenario URLs (same patterns, same names), served by the preview's page.
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/$", scenario.show, name="workbench_show_scenario"),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/(?P<view_name>[^/]+)/$", scenario.show, name="scenario"),
    re_path(
        r"^course/(?P<language>[a-z]{2})/static/(?P<name>[A-Za-z0-9_.-]+)$", views.course_static, name="preview_static"
    ),
    # DEBUG is off (settings.py), so neither runserver nor the workbench's staticfiles_urlpatterns()
    # serve static files: the workbench's runtime JS and the preview's CSS, found by the
    # staticfiles finders, are served here (a local preview: Django's view is enough).
    re_path(r"^static/(?P<path>.+)$", serve_static, {"insecure": True}),
    *(pattern for pattern in workbench_urls.urlpatterns if getattr(pattern, "name", None) in WORKBENCH_URLS_KEPT),
    # The ORA2 block's handlers, through the runtime ORA2 needs (preview/workshop/runtime.py).
    path("workshop/", include("devisus_course.preview.workshop.urls")),
]

handler400 = "devisus_course.preview.errors.bad_request"
handler403 = "devisus_course.preview.errors.permission_denied"
handler404 = "devisus_course.preview.errors.page_not_found"
handler500 = "devisus_course.preview.errors.server_error"
