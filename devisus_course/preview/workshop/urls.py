"""The ORA2 block's handler URLs (included under /workshop/ by preview/urls.py)."""

from django.urls import re_path

from . import views

urlpatterns = [
    # The prefix the runtime's handler_url and the page's JS build handler URLs from; the language
    # of the unit page is part of it, so ORA2's step views come back in the page's language.
    re_path(r"^(?P<language>[a-z]{2})/handler/$", views.handler_base, name="workshop_handler_base"),
    re_path(
        r"^(?P<language>[a-z]{2})/handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        views.handler,
        name="workshop_handler",
    ),
]
