"""DEVISUS glossary XBlock (placeholder until the block is implemented)."""
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Scope, String


class GlossaryBlock(XBlock):
    display_name = String(default="DEVISUS glossary", scope=Scope.settings)

    def student_view(self, context=None):
        return Fragment("")
