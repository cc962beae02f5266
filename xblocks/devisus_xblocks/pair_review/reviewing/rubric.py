"""Rubrics: the default capstone rubric (French and English, as data) and rubric validation.

A rubric is plain data so it round-trips through Studio fields and OLX unchanged::

    [{"id": "c1", "weight": 20, "title": "...", "description": "...",
      "levels": [{"id": "emerging", "points": 1, "title": "...", "description": "..."}, ...]},
     ...]

Rules (checked by :func:`rubric_problems` / :func:`parse_rubric`): at least one criterion;
criterion ids unique; integer weights > 0 summing to 100; at least two levels per criterion with
unique ids and strictly increasing integer points >= 0. Ids are short ASCII slugs.

A criterion's result is ``points / max_points`` of that criterion; the rubric score is the
weighted mean of those results, a fraction in [0, 1] (see ``grading.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...common.errors import ServiceError
from ...common.i18n import noop

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_CRITERIA = 20
MAX_LEVELS = 10
MAX_TEXT = 2000


@dataclass(frozen=True)
class Level:
    id: str
    points: int
    title: str
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    weight: int
    title: str
    description: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> int:
        return self.levels[-1].points

    def level(self, level_id: str) -> Level | None:
        for level in self.levels:
            if level.id == level_id:
                return level
        return None


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    def criterion(self, criterion_id: str) -> Criterion | None:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        return None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(criterion.id for criterion in self.criteria)

    def to_data(self) -> list[dict]:
        return rubric_to_data(self)


_LEVEL_IDS = ("emerging", "developing", "proficient", "exemplary")
_LEVEL_TITLES = {
    "en": ("Emerging", "Developing", "Proficient", "Exemplary"),
    "fr": ("Émergent", "En développement", "Maîtrisé", "Exemplaire"),
}

# The capstone rubric of the course design (brief C): "Design an evaluation-accompaniment plan for
# an ESS organisation". Level descriptors are written for reviewers, one per level.
_DEFAULT = {
    "en": [
        (
            "c1",
            20,
            "Diagnosis and fit to the organisation",
            "How well the plan starts from the organisation's mission, resources, constraints and timing, "
            "and leaves the organisation to choose (Pr1, Pr4, P3, S3).",
            (
                "A generic plan: the organisation is hardly described and the method is imposed.",
                "The organisation is described, but size, finances or timing only partly shape the plan; "
                "the choice of method is weakly argued.",
                "A clear diagnosis (needs, mission, resources, stakeholders, local area); effort and time match the "
                "organisation's capacity; the organisation chooses between options.",
                "A sharp diagnosis drives every design choice; time and cost are estimated realistically; "
                "alternatives and their trade-offs are offered for the organisation to choose.",
            ),
        ),
        (
            "c2",
            20,
            "Stakeholder involvement and co-responsibility",
            "Who takes part, at which stage, and how responsibility for findings is shared (Pr7, Pr8, S4).",
            (
                "Stakeholders are listed but at most consulted; the findings belong to the evaluator.",
                "Several stakeholder groups take part, mostly in data collection; shared ownership is assumed, "
                "not organised.",
                "Stakeholders help frame, collect and interpret; responsibility for findings and follow-up is "
                "shared through clear arrangements.",
                "Inclusive, accessible participation at every stage, including the least-heard voices; a "
                "co-responsibility agreement and concrete steps against power imbalances.",
            ),
        ),
        (
            "c3",
            25,
            "Evaluation framework: questions, change pathway, criteria, indicators",
            "The evaluative questions, the theory of change and the mix of criteria and indicators "
            "(Pr5, Pr6, P1, T2, P8).",
            (
                "No clear evaluative question; indicators only count outputs; no theory of change.",
                "An evaluative question is stated; the theory of change is partial; indicators are mostly "
                "quantitative or mostly qualitative; the macro level is missing.",
                "Clear questions; a coherent theory of change with its assumptions; criteria tied to utility or "
                "impact; balanced mixed indicators at micro and macro levels; feasible data methods.",
                "A proportionate, elegant framework: assumptions to test are flagged, limits of attribution and "
                "contribution acknowledged, indicators co-constructed and few, references used critically.",
            ),
        ),
        (
            "c4",
            20,
            "Facilitator's stance and improvement loop",
            "The facilitator's stance, trust-building and the path from findings to improvement "
            "(Pr2, Pr3, T3, S1, S2, S5).",
            (
                "Reads like an external audit; trust and the facilitator's role are ignored; it stops at the report.",
                "Internal evaluation is intended but the facilitator still leads; next steps are listed without "
                "a mechanism.",
                "Assisted self-evaluation with question-led facilitation, a plan to build trust and an explicit "
                "cycle from findings to actions to review.",
                "A reflexive stance: the facilitator's biases and the risks of capture or dependence are named, "
                "trainer and facilitator roles are clarified, evaluation becomes part of routine steering.",
            ),
        ),
        (
            "c5",
            15,
            "Combining the two perspectives, communication and valorisation",
            "How theory and field practice work together, and how results reach their audiences "
            "(A8 findings, P4, P5, T6).",
            (
                "Theory and field practice sit side by side without dialogue; communicating results is not planned.",
                "Both perspectives appear but are unevenly combined; valorisation is planned only in general terms.",
                "Theory and practice inform each other throughout; results are communicated clearly to named "
                "audiences (team, beneficiaries, funders, authorities).",
                "One seamless joint voice; a valorisation and advocacy strategy for each audience; the organisation "
                "could reuse the plan on its own.",
            ),
        ),
    ],
    "fr": [
        (
            "c1",
            20,
            "Diagnostic et adaptation à la structure",
            "Le plan part-il de la mission, des ressources, des contraintes et du calendrier de la structure, "
            "et lui laisse-t-il le choix (Pr1, Pr4, P3, S3) ?",
            (
                "Plan générique : la structure est à peine décrite et la méthode est imposée.",
                "La structure est décrite, mais sa taille, ses finances ou son calendrier n'orientent le plan qu'en "
                "partie ; le choix de la méthode est peu argumenté.",
                "Diagnostic clair (besoins, mission, ressources, parties prenantes, territoire) ; effort et durée "
                "adaptés aux capacités de la structure ; la structure choisit entre plusieurs options.",
                "Diagnostic précis qui guide chaque choix ; estimation réaliste du temps et du coût ; des "
                "alternatives et leurs compromis sont proposées au choix de la structure.",
            ),
        ),
        (
            "c2",
            20,
            "Parties prenantes et co-responsabilité",
            "Qui participe, à quelle étape, et comment la responsabilité des résultats est partagée (Pr7, Pr8, S4).",
            (
                "Les parties prenantes sont listées mais tout au plus consultées ; les résultats appartiennent à "
                "la personne qui évalue.",
                "Plusieurs groupes participent, surtout à la collecte ; l'appropriation partagée est supposée, "
                "pas organisée.",
                "Les parties prenantes participent au cadrage, à la collecte et à l'interprétation ; des modalités "
                "claires partagent la responsabilité des résultats et des suites.",
                "Participation inclusive et accessible à chaque étape, y compris des voix les moins entendues ; "
                "un accord de co-responsabilité et des mesures concrètes contre les déséquilibres de pouvoir.",
            ),
        ),
        (
            "c3",
            25,
            "Cadre évaluatif : questions, chemin de changement, critères, indicateurs",
            "Les questions évaluatives, la théorie du changement et l'équilibre des critères et indicateurs "
            "(Pr5, Pr6, P1, T2, P8).",
            (
                "Pas de question évaluative claire ; les indicateurs ne comptent que des réalisations ; pas de "
                "théorie du changement.",
                "Une question évaluative est posée ; théorie du changement partielle ; indicateurs surtout "
                "quantitatifs ou surtout qualitatifs ; le niveau macro manque.",
                "Questions claires ; théorie du changement cohérente avec ses hypothèses ; critères reliés à "
                "l'utilité ou à l'impact ; indicateurs mixtes équilibrés, micro et macro ; méthodes de collecte "
                "réalistes.",
                "Cadre proportionné et élégant : hypothèses à tester signalées, limites d'attribution et de "
                "contribution reconnues, indicateurs co-construits et sobres, références utilisées avec recul.",
            ),
        ),
        (
            "c4",
            20,
            "Posture d'accompagnement et amélioration continue",
            "La posture de la personne qui accompagne, la confiance et le passage des résultats à l'amélioration "
            "(Pr2, Pr3, T3, S1, S2, S5).",
            (
                "Le plan ressemble à un audit externe ; ni la confiance ni le rôle de la personne qui accompagne ne sont "
                "pensés ; tout s'arrête au rapport.",
                "L'évaluation interne est visée mais la personne qui accompagne garde la main ; des suites sont listées "
                "sans mécanisme.",
                "Auto-évaluation accompagnée, animation par le questionnement, plan pour installer la confiance et "
                "cycle explicite des résultats aux actions puis au bilan.",
                "Posture réflexive : biais de la personne qui accompagne et risques de capture ou de dépendance nommés, "
                "rôles de formation et d'accompagnement clarifiés, évaluation intégrée au pilotage "
                "courant.",
            ),
        ),
        (
            "c5",
            15,
            "Binôme, communication et valorisation",
            "Comment la théorie et la pratique de terrain travaillent ensemble, et comment les résultats "
            "atteignent leurs publics (constats A8, P4, P5, T6).",
            (
                "Théorie et pratique de terrain se juxtaposent sans dialogue ; la communication des résultats "
                "n'est pas prévue.",
                "Les deux regards sont présents mais inégalement combinés ; la valorisation n'est prévue qu'en "
                "termes généraux.",
                "Théorie et pratique s'enrichissent tout au long du plan ; les résultats sont communiqués clairement "
                "à des publics nommés (équipe, bénéficiaires, financeurs, pouvoirs publics).",
                "Une seule voix commune ; une stratégie de valorisation et de plaidoyer par public ; la structure "
                "pourrait réutiliser le plan seule.",
            ),
        ),
    ],
}


def default_rubric_data(language: str = "en") -> list[dict]:
    """The capstone rubric as plain data in ``language`` ('en' or 'fr'; other languages get English)."""
    rows = _DEFAULT.get(language[:2].lower() if language else "en", _DEFAULT["en"])
    titles = _LEVEL_TITLES["fr" if rows is _DEFAULT["fr"] else "en"]
    return [
        {
            "id": cid,
            "weight": weight,
            "title": title,
            "description": description,
            "levels": [
                {"id": level_id, "points": points, "title": level_title, "description": text}
                for points, (level_id, level_title, text) in enumerate(zip(_LEVEL_IDS, titles, texts), start=1)
            ],
        }
        for cid, weight, title, description, texts in rows
    ]


def default_rubric(language: str = "en") -> Rubric:
    return parse_rubric(default_rubric_data(language))


def rubric_to_data(rubric: Rubric) -> list[dict]:
    return [
        {
            "id": c.id,
            "weight": c.weight,
            "title": c.title,
            "description": c.description,
            "levels": [
                {"id": lv.id, "points": lv.points, "title": lv.title, "description": lv.description} for lv in c.levels
            ],
        }
        for c in rubric.criteria
    ]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_ok(value, required: bool) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT and (bool(value.strip()) or not required)


def rubric_problems(data) -> list[ServiceError]:
    """Every problem of a rubric given as data (empty list: valid). Each is a translatable error."""
    problems: list[ServiceError] = []
    if not isinstance(data, list) or not data:
        return [ServiceError(noop("The rubric needs at least one criterion."))]
    if len(data) > MAX_CRITERIA:
        problems.append(ServiceError(noop("The rubric has too many criteria (at most %(limit)s)."), limit=MAX_CRITERIA))
    seen: set[str] = set()
    total = 0
    for index, criterion in enumerate(data, start=1):
        if not isinstance(criterion, dict):
            problems.append(ServiceError(noop("Criterion %(number)s is malformed."), number=index))
            continue
        cid = criterion.get("id")
        label = cid if isinstance(cid, str) and cid else str(index)
        if not isinstance(cid, str) or not ID_PATTERN.match(cid):
            problems.append(
                ServiceError(
                    noop("Criterion %(number)s needs an id made of letters, digits, '-' or '_'."), number=index
                )
            )
        elif cid in seen:
            problems.append(ServiceError(noop("Two criteria use the id %(id)s."), id=cid))
        else:
            seen.add(cid)
        weight = criterion.get("weight")
        if not _is_int(weight) or weight <= 0:
            problems.append(
                ServiceError(noop("The weight of criterion %(id)s must be a whole number above 0."), id=label)
            )
        else:
            total += weight
        if not _text_ok(criterion.get("title"), True) or not _text_ok(criterion.get("description", ""), False):
            problems.append(
                ServiceError(
                    noop("Criterion %(id)s needs a title (and texts of at most %(limit)s characters)."),
                    id=label,
                    limit=MAX_TEXT,
                )
            )
        levels = criterion.get("levels")
        if not isinstance(levels, list) or len(levels) < 2 or len(levels) > MAX_LEVELS:
            problems.append(
                ServiceError(noop("Criterion %(id)s needs between 2 and %(limit)s levels."), id=label, limit=MAX_LEVELS)
            )
            continue
        level_ids: set[str] = set()
        previous = None
        for level in levels:
            if not isinstance(level, dict):
                problems.append(ServiceError(noop("A level of criterion %(id)s is malformed."), id=label))
                break
            lid, points = level.get("id"), level.get("points")
            if not isinstance(lid, str) or not ID_PATTERN.match(lid) or lid in level_ids:
                problems.append(ServiceError(noop("The levels of criterion %(id)s need unique ids."), id=label))
                break
            level_ids.add(lid)
            if not _is_int(points) or points < 0:
                problems.append(
                    ServiceError(noop("Level points of criterion %(id)s must be whole numbers of 0 or more."), id=label)
                )
                break
            if previous is not None and points <= previous:
                problems.append(
                    ServiceError(noop("The levels of criterion %(id)s must have strictly increasing points."), id=label)
                )
                break
            previous = points
            if not _text_ok(level.get("title"), True) or not _text_ok(level.get("description", ""), False):
                problems.append(ServiceError(noop("Every level of criterion %(id)s needs a title."), id=label))
                break
    if not problems and total != 100:
        problems.append(
            ServiceError(noop("The criterion weights must add up to 100 (they add up to %(total)s)."), total=total)
        )
    return problems


def parse_rubric(data) -> Rubric:
    """A validated :class:`Rubric` from data; raises the first problem as a ``ServiceError`` (400)."""
    problems = rubric_problems(data)
    if problems:
        raise problems[0]
    return Rubric(
        criteria=tuple(
            Criterion(
                id=c["id"],
                weight=c["weight"],
                title=c["title"].strip(),
                description=c.get("description", ""),
                levels=tuple(
                    Level(
                        id=lv["id"],
                        points=lv["points"],
                        title=lv["title"].strip(),
                        description=lv.get("description", ""),
                    )
                    for lv in c["levels"]
                ),
            )
            for c in data
        )
    )
