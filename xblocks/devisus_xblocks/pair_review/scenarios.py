"""Workbench scenarios of the pair-review block (ids ``devisus_pair_review.<index>``).

Open a scenario as several learners with ``?student=<id>`` and as a trainer with
``?student=staff`` (or ``trainer``): each learner has their own view, the trainer the dashboard.
"""

SCENARIOS = [
    (
        "Pair review: automatic pairing, capstone rubric (French)",
        """<devisus_pair_review display_name="Projet en binôme : dépôt et évaluation entre pairs"/>""",
    ),
    (
        "Pair review: automatic pairing, capstone rubric (English)",
        """<devisus_pair_review display_name="Pair project: submission and peer review"
            language="en"/>""",
    ),
    (
        "Pair review: small cohort (1 review each, flexible grading at once, own rubric)",
        """<devisus_pair_review display_name="Small-group pair project"
            language="en" reviews_per_reviewer="1" reviews_required="1" flexible_after_days="0" min_comment_length="10"
            theoretician_label="Theory-oriented trainer" practitioner_label="Field practitioner" self_assessment="false">
          <rubric>
            <criterion id="plan" weight="60">
              <label>A plan the organisation can use</label>
              <prompt>Does the plan start from the organisation's real means and leave it the choice?</prompt>
              <level id="partly" points="1"><label>Partly</label><description>Generic, or imposed on the organisation.</description></level>
              <level id="mostly" points="2"><label>Mostly</label><description>Adapted, with some gaps.</description></level>
              <level id="fully" points="3"><label>Fully</label><description>Adapted and chosen by the organisation.</description></level>
            </criterion>
            <criterion id="pair" weight="40">
              <label>Theory and field together</label>
              <prompt>Do both views inform each other throughout the plan?</prompt>
              <level id="apart" points="1"><label>Side by side</label><description>Two views without dialogue.</description></level>
              <level id="joined" points="2"><label>One voice</label><description>Each view enriches the other.</description></level>
            </criterion>
          </rubric>
        </devisus_pair_review>""",
    ),
    (
        "Binômes par code d'invitation (français)",
        """<devisus_pair_review display_name="Projet en binôme (code d'invitation)"
            pairing_mode="invitation"/>""",
    ),
    (
        "Pair review: pairs assigned by the trainer, one review per pair (English)",
        """<devisus_pair_review display_name="Pair project (pairs set by the trainer)"
            language="en" pairing_mode="trainer" review_unit="pair" reviews_per_reviewer="1" reviews_required="1"/>""",
    ),
    (
        "Binômes : petit groupe, une évaluation chacun·e, grille du projet final (français)",
        """<devisus_pair_review display_name="Projet en binôme (petit groupe)"
            reviews_per_reviewer="1" reviews_required="2"/>""",
    ),
    (
        "Pair review: one pairing for two activities (English)",
        """<vertical_demo>
          <devisus_pair_review display_name="Stakeholder map (pairs are formed here)" language="en"
              pairing_id="course-pairs" reviews_per_reviewer="1" reviews_required="1"/>
          <devisus_pair_review display_name="Evaluation plan (same pairs)" language="en"
              pairing_id="course-pairs" reviews_per_reviewer="1" reviews_required="1"/>
        </vertical_demo>""",
    ),
]
