"""DEVISUS self-positioning XBlock (placeholder until the block is implemented)."""
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Scope, String


class SelfPositioningBlock(XBlock):
    display_name = String(default="DEVISUS self-positioning", scope=Scope.settings)

    def student_view(self, context=None):
        return Fragment("")
