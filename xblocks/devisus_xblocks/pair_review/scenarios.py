"""Workbench scenarios of the pair-review block (ids ``devisus_pair_review.<index>``).

Open a scenario as several learners with ``?student=<id>`` and as a trainer with
``?student=staff`` (or ``trainer``): each learner has their own view, the trainer the dashboard.
"""

# The rubric shared by the three activities of the course-journey scenario.
JOURNEY_RUBRIC = """<rubric>
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
"""

SCENARIOS = [
    (
        "Pair review: automatic pairing, capstone rubric (French)",
        """<devisus_pair_review display_name="Projet en binôme : remise et évaluation entre pairs"/>""",
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
          """
        + JOURNEY_RUBRIC
        + """</devisus_pair_review>""",
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
    (
        "Pair review: calibration first, accuracy-weighted grades, disagreements to the trainer (English)",
        """<devisus_pair_review display_name="Calibrated pair project"
            language="en" reviews_per_reviewer="2" reviews_required="2" flexible_after_days="7" min_comment_length="10"
            disagreement_threshold="40" self_assessment="false">
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
          <calibration>
            <example id="funder-plan">
              <label>A plan written for the funder</label>
              <text>We will count the meals served each month and report the figure to the city, which funds us. The researcher in our pair will write the report.</text>
              <answer criterion="plan" level="partly">It answers the funder's question, not the organisation's own.</answer>
              <answer criterion="pair" level="apart">The field view collects, the theory view writes: no dialogue.</answer>
            </example>
            <example id="shared-plan">
              <label>A plan built with the team</label>
              <text>With the volunteers we chose two changes we want to see among the people we serve, one indicator each, and a date to discuss the results together.</text>
              <answer criterion="plan" level="fully">The organisation chose what matters and can run it with its means.</answer>
              <answer criterion="pair" level="joined">Method and field knowledge shape each step together.</answer>
            </example>
          </calibration>
        </devisus_pair_review>""",
    ),
    (
        "Pair review: one pairing through the course: two staged pieces and a calibrated capstone (English)",
        """<vertical_demo>
          <devisus_pair_review display_name="Stakeholder map (module 4: pairs are formed here)" language="en" pairing_id="journey-pairs"
              reviews_per_reviewer="1" reviews_required="1" min_comment_length="10" self_assessment="false">
            {rubric}          </devisus_pair_review>
          <devisus_pair_review display_name="Evaluation plan outline (module 7, same pairs)" language="en" pairing_id="journey-pairs"
              reviews_per_reviewer="1" reviews_required="1" min_comment_length="10" self_assessment="false">
            {rubric}          </devisus_pair_review>
          <devisus_pair_review display_name="Capstone (module 9, same pairs)" language="en" pairing_id="journey-pairs"
              reviews_per_reviewer="1" reviews_required="2" disagreement_threshold="50" min_comment_length="10" self_assessment="false">
            {rubric}            <calibration>
              <example id="funder-plan">
                <label>A plan written for the funder</label>
                <text>We will count the meals served each month and report the figure to the city, which funds us.</text>
                <answer criterion="plan" level="partly">It answers the funder's question, not the organisation's own.</answer>
                <answer criterion="pair" level="apart">The field view collects, the theory view writes: no dialogue.</answer>
              </example>
            </calibration>
          </devisus_pair_review>
        </vertical_demo>""".replace("{rubric}", JOURNEY_RUBRIC),
    ),
]
