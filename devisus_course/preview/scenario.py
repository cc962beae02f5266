"""A block scenario page (``/scenario/<name>/[<view>/]``) in the preview's own template.

It renders the block as xblock-sdk's ``workbench/views.py`` ``show_scenario`` does (the
workbench runtime for the simulated learner, the same render context, the fragment's head and
foot resources, the CSRF cookie the blocks' JavaScript echoes), in a page with a title, a
language, landmarks and the switches, and without the workbench's debug panel (the block's
fields, the scenario XML, the "Scenario State" admin link, the "Reset State" button).
"""

from __future__ import annotations

from django.http import Http404
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios
from xblock.exceptions import NoSuchViewError

from .views import _render, _student, interface_language


def show(request, scenario_id: str, view_name: str = "student_view"):
    scenario = get_scenarios().get(scenario_id)
    # The workbench calls any attribute named in the URL as a view (XBlock's Runtime.render does
    # getattr(block, view_name)): /scenario/<name>/save/ would call block.save. Views end in _view.
    if scenario is None or not view_name.endswith("_view"):
        raise Http404("unknown scenario or view")
    runtime = WorkbenchRuntime(_student(request))
    block = runtime.get_block(scenario.usage_id)
    try:
        fragment = block.render(view_name, {"activate_block_id": request.GET.get("activate_block_id")})
    except NoSuchViewError as error:
        raise Http404("unknown view") from error
    return _render(
        request,
        "scenario.html",
        interface_language(),
        scenario=scenario,
        scenario_id=scenario_id,
        view_name=view_name,
        body=fragment.body_html(),
        head_html=fragment.head_html(),
        foot_html=fragment.foot_html(),
    )
