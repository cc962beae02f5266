"""Workbench scenarios of the glossary block (``devisus_glossary.<index>`` in the preview)."""

SCENARIOS = (
    (
        "DEVISUS glossary: reference (French)",
        """<devisus_glossary display_name="Glossaire DEVISUS" language="fr"/>""",
    ),
    (
        "DEVISUS glossary: reference (English)",
        """<devisus_glossary display_name="DEVISUS glossary" language="en"/>""",
    ),
    (
        "DEVISUS glossary: graded practice (French)",
        """<devisus_glossary display_name="Entraînement : le vocabulaire DEVISUS"
            language="fr" mode="practice" practice_size="6" graded="true" weight="1"/>""",
    ),
    (
        "DEVISUS glossary: ungraded practice (English)",
        """<devisus_glossary display_name="Practice: DEVISUS vocabulary"
            language="en" mode="practice" practice_size="4"/>""",
    ),
    (
        "DEVISUS glossary: unit with the glossary and a practice round",
        """<vertical_demo>
            <html_demo><p>Before the exercise, read about
              <a href="#devisus-glossary-social-utility">l'utilité sociale</a> in the glossary below.</p></html_demo>
            <devisus_glossary display_name="Glossaire" language="fr"/>
            <devisus_glossary display_name="Entraînement" language="fr"
                mode="practice" practice_size="4"/>
        </vertical_demo>""",
    ),
    (
        "DEVISUS glossary: two reference glossaries on one page",
        """<vertical_demo>
            <html_demo><p>Deep link: <a href="#devisus-glossary-value">la valeur</a>.</p></html_demo>
            <devisus_glossary display_name="Glossaire" language="fr"/>
            <devisus_glossary display_name="Glossary" language="en"/>
        </vertical_demo>""",
    ),
)
