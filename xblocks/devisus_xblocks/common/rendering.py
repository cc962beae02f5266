"""Rendering block views: one Jinja2 environment (autoescaped), static files, one JS entry.

Learner text is always passed as plain strings and escaped by Jinja2's autoescape; templates
never mark learner content ``|safe``. UI strings in templates go through ``_()``, bound to the
request's gettext, and strings the JavaScript shows are translated here and handed to its
entry function in ``messages``.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from web_fragments.fragment import Fragment

from .i18n import gettext_for, ngettext_for


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("devisus_xblocks", "templates"),
        autoescape=select_autoescape(["html", "xml", "svg"], default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(block, name: str, **context) -> str:
    gettext = gettext_for(block)
    ngettext = ngettext_for(block)
    return environment().get_template(name).render(_=gettext, gettext=gettext, ngettext=ngettext, **context)


@cache
def static_text(relative_path: str) -> str:
    return (resources.files("devisus_xblocks") / "public" / relative_path).read_text(encoding="utf-8")


def block_fragment(block, template: str, context: dict, *, css: str, js: str, js_init: str, js_args: dict) -> Fragment:
    """A view fragment: rendered template, the block's CSS and JS, and its one entry function."""
    fragment = Fragment(render_template(block, template, **context))
    fragment.add_css(static_text(css))
    # The shared handler client first: every block's entry function posts through it.
    fragment.add_javascript(static_text("js/handler_client.js"))
    fragment.add_javascript(static_text(js))
    fragment.initialize_js(js_init, js_args)
    return fragment


def author_fragment(block, template: str, context: dict, *, css: str) -> Fragment:
    """A read-only view fragment (Studio's ``author_view``): the template and the block's CSS,
    no JavaScript, so nothing on it can call a handler."""
    fragment = Fragment(render_template(block, template, **context))
    fragment.add_css(static_text(css))
    return fragment


def setting_label(block, name: str) -> str:
    """The label Studio's editor shows for a drop-down setting's current value (translated by the
    field's ``values_provider``), or the value itself."""
    field = block.fields[name]
    provider = field.runtime_options.get("values_provider")
    options = provider(block) if provider else (field.values or [])
    value = getattr(block, name)
    return next(
        (option["display_name"] for option in options if isinstance(option, dict) and option.get("value") == value),
        str(value),
    )
