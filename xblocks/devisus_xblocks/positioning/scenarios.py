"""Workbench scenarios of the self-positioning block (ids ``devisus_self_positioning.<index>``)."""

SCENARIOS = [
    (
        "Self-assessment: principles, before and after",
        """
        <vertical_demo>
          <devisus_self_positioning display_name="Where I stand on the 8 principles (start of course)"
              language="en" item_set="principles" framework_id="devisus-principles" round="before"/>
          <devisus_self_positioning display_name="Where I stand on the 8 principles (end of course)"
              language="en" item_set="principles" framework_id="devisus-principles" round="after"/>
        </vertical_demo>
        """,
    ),
    (
        "Self-assessment: competence framework",
        """
        <devisus_self_positioning display_name="My competences as an evaluation facilitator"
            language="en" item_set="competences" framework_id="devisus-competences" round="before"/>
        """,
    ),
    (
        "Self-assessment: custom list, participation credit",
        """
        <devisus_self_positioning display_name="My practice as a trainer"
            language="en" item_set="custom" framework_id="trainer-practice" round="before"
            max_justification="200" participation_credit="true"
            custom_items="PAIR|Working as a theoretician-practitioner pair&#10;PEER|Assessing the work of peers&#10;FIELD|Bringing field cases into a session&#10;ADAPT|Adapting a session to the group"/>
        """,
    ),
    (
        "Auto-positionnement : les 8 principes (français)",
        """
        <devisus_self_positioning display_name="Où j'en suis sur les 8 principes"
            language="fr" item_set="principles" framework_id="devisus-principes-fr" round="before"/>
        """,
    ),
]
