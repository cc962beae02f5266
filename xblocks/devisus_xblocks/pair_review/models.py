"""State shared between the learners of a pair-review activity.

Identity: every row stores the learner's *anonymous* user id (``anonymous_id``, the LMS's
per-course anonymous id). A username is stored in one place only, ``Participant.username``, for
course staff (status list, CSV export with usernames, CSV pair assignment); retirement blanks it.

Portability (SQLite and MariaDB/MySQL with utf8mb4): every CharField is <= 255 characters and
every composite index stays far below InnoDB's 3072-byte key limit (4 bytes per character).
MySQL's collations compare text keys case- and accent-blind, ignoring trailing spaces and control
characters; the code keeps every key here collation-proof (``common/keys.py``): anonymous ids
and reviewer keys in ``learner_key`` form, invitation codes in ASCII capitals, block ids compared
exactly (``activity.get_activity``), usernames matched exactly after the database's lookup.

Pairings shared by several blocks: a block with a ``pairing_id`` takes its pairs from the
course's pairing of that id, an ``Activity`` row of its own (block key ``pairing:<id>``) that
holds the ``Participant``, ``Pair`` and ``Membership`` rows; the block's own ``Activity`` holds
its drafts, submissions, assignments, reviews and grades, per pair. A block without a
``pairing_id`` is its own pairing (``Activity.scope`` is itself), as in version 0.1.

Invariants held by the database, not only by code:
- one pair per learner per pairing: ``Membership`` unique on (activity, anonymous_id), where the
  activity is the pairing's;
- one draft and one submission per pair and activity: ``Draft`` and ``Submission`` unique on
  (activity, pair);
- one submission per learner and activity, even across re-pairing: ``SubmissionMember`` unique
  on (activity, anonymous_id);
- a reviewer is never given the same submission twice: ``Assignment`` unique on
  (submission, reviewer_key); a reviewer reviews a submission at most once: ``Review`` unique on
  (submission, reviewer_key).

``Submission`` carries denormalised counters (reviews done, active leases, per profile) kept
exact by the services inside the transactions that change them, so that picking the next
submission to review is one ordered, indexed query whatever the pool size.
"""

from __future__ import annotations

from django.db import models

ANONYMOUS_ID_LENGTH = 128
REVIEWER_KEY_LENGTH = 140  # an anonymous id, "pair:<id>", "self" or a retired placeholder


class Profile(models.TextChoices):
    THEORETICIAN = "theoretician"
    PRACTITIONER = "practitioner"


class Activity(models.Model):
    """One pair-review block in one course. All other rows hang off it."""

    course_key = models.CharField(max_length=255)
    block_key = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every automatic pairing: the UPDATE is the per-activity lock that serialises them.
    pairing_seq = models.PositiveIntegerField(default=0)
    _scope = None  # set per request by use_pairing; not a column

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course_key", "block_key"], name="pair_review_activity_unique")]

    def __str__(self):
        return f"{self.course_key} {self.block_key}"

    @property
    def scope(self) -> Activity:
        """The activity whose pairs this one uses: the course's shared pairing once
        :meth:`use_pairing` has named it (``activity.get_activity`` does, from the block's
        ``pairing_id``), otherwise the activity itself."""
        return self._scope or self

    def use_pairing(self, scope: Activity) -> Activity:
        self._scope = None if scope.pk == self.pk else scope
        return self


class Participant(models.Model):
    """A learner who has come to the activity: declared profile, and whether they wait for a partner."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    anonymous_id = models.CharField(max_length=ANONYMOUS_ID_LENGTH)
    username = models.CharField(max_length=150, blank=True, default="")  # staff display and exports only
    profile = models.CharField(max_length=20, choices=Profile.choices, blank=True, default="")
    waiting_since = models.DateTimeField(null=True, blank=True)  # automatic pairing queue
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "anonymous_id"], name="pair_review_participant_unique")
        ]
        indexes = [
            models.Index(fields=["activity", "profile", "waiting_since"], name="pair_review_waiting_idx"),
            models.Index(fields=["activity", "username"], name="pair_review_username_idx"),
        ]


class Pair(models.Model):
    """A pair (or a trio, when a trainer resolves leftovers) working on one joint submission."""

    class Origin(models.TextChoices):
        AUTOMATIC = "automatic"
        INVITATION = "invitation"
        TRAINER = "trainer"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="pairs")
    origin = models.CharField(max_length=12, choices=Origin.choices)
    invite_code = models.CharField(max_length=16, null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(default=2)
    member_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    # When the pair first submitted, in any activity of its pairing: from then on its members are
    # fixed (nobody leaves, joins or is moved), since a grade will go to each of them.
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "invite_code"], name="pair_review_invite_code_unique")
        ]


class Membership(models.Model):
    """A learner's place in a pair. The unique constraint is the one-pair-per-learner rule."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="memberships")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="memberships")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="memberships")
    anonymous_id = models.CharField(max_length=ANONYMOUS_ID_LENGTH)
    joined_at = models.DateTimeField()
    # The member's latest request to any block of the pairing (kept to the hour): a partner
    # silent for the block's ``inactive_after_days`` is shown as inactive and may be left.
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "anonymous_id"], name="pair_review_one_pair_per_learner")
        ]


class Draft(models.Model):
    """A pair's shared text for one activity. ``version`` grows by one per save; saves name the
    version they edit. Created on the pair's first visit or save (pairs of a shared pairing have one
    draft per pair activity)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="drafts")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="drafts")
    text = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)  # set when the pair submits
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.CharField(max_length=ANONYMOUS_ID_LENGTH, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "pair"], name="pair_review_one_draft_per_pair")]


class Submission(models.Model):
    """A pair's submitted work, its place in the review pool, its counters and its grade."""

    class GradeSource(models.TextChoices):
        NONE = ""
        PEER = "peer"
        FLEXIBLE = "flexible"
        TRAINER = "trainer"
        OVERRIDE = "override"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="submissions")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="submissions")
    text = models.TextField()
    draft_version = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.CharField(max_length=ANONYMOUS_ID_LENGTH)

    # Review pool. A removed submission leaves the pool and its leases end.
    in_pool = models.BooleanField(default=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.CharField(max_length=ANONYMOUS_ID_LENGTH, blank=True, default="")
    removed_reason = models.TextField(blank=True, default="")

    # Denormalised counters (exact; changed only inside the transactions that change assignments).
    review_count = models.PositiveIntegerField(default=0)  # completed peer reviews
    lease_count = models.PositiveIntegerField(default=0)  # active leases
    theoretician_reviews = models.PositiveIntegerField(default=0)
    practitioner_reviews = models.PositiveIntegerField(default=0)
    theoretician_leases = models.PositiveIntegerField(default=0)
    practitioner_leases = models.PositiveIntegerField(default=0)
    load = models.PositiveIntegerField(default=0)  # review_count + lease_count: the fairness key
    has_theoretician = models.BooleanField(default=False)  # a theoretician review done or leased
    has_practitioner = models.BooleanField(default=False)  # a practitioner review done or leased

    # Grades are fractions in [0, 1]. ``grade`` is the final one, from ``grade_source``.
    peer_grade = models.FloatField(null=True, blank=True)
    peer_details = models.JSONField(null=True, blank=True)  # {criterion id: median points}
    trainer_grade = models.FloatField(null=True, blank=True)
    override_grade = models.FloatField(null=True, blank=True)
    grade = models.FloatField(null=True, blank=True)
    grade_source = models.CharField(max_length=10, choices=GradeSource.choices, blank=True, default="")
    graded_at = models.DateTimeField(null=True, blank=True)
    published_grade = models.FloatField(null=True, blank=True)  # last grade sent to the gradebook
    # Set when the peer reviews disagree beyond the block's threshold: the peer grade waits for a
    # trainer's review (kept afterwards as a record of why the trainer was asked).
    needs_trainer_reason = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "pair"], name="pair_review_one_submission_per_pair")]
        indexes = [
            # The allocation picks: pool, then cross-role need, then fewest reviews, then oldest.
            models.Index(
                fields=["activity", "in_pool", "has_practitioner", "load", "submitted_at", "id"],
                name="pair_review_pick_prac_idx",
            ),
            models.Index(
                fields=["activity", "in_pool", "has_theoretician", "load", "submitted_at", "id"],
                name="pair_review_pick_theo_idx",
            ),
            models.Index(fields=["activity", "in_pool", "load", "submitted_at", "id"], name="pair_review_pick_idx"),
        ]


class SubmissionMember(models.Model):
    """Who a submission is for: the pair's members when it was submitted. Their grade follows the
    submission even if they later leave the pair (re-paired after a partner went inactive), and
    a learner has at most one submission per activity: one grade per activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="members")
    anonymous_id = models.CharField(max_length=ANONYMOUS_ID_LENGTH)
    # What this member says they brought to the joint work, for the teaching team only.
    contribution = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "anonymous_id"], name="pair_review_one_submission_per_learner")
        ]


class Assignment(models.Model):
    """A submission given to a reviewer: a lease until ``expires_at``, then done, expired or cancelled."""

    class State(models.TextChoices):
        ACTIVE = "active"
        DONE = "done"
        EXPIRED = "expired"
        CANCELLED = "cancelled"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer_key = models.CharField(max_length=REVIEWER_KEY_LENGTH)  # anonymous id, or "pair:<id>"
    reviewer_pair = models.ForeignKey(Pair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewer_profile = models.CharField(max_length=20, blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    leased_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    reclaim_token = models.CharField(max_length=32, blank=True, default="")  # marks one batch of expired leases

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer_key"], name="pair_review_assignment_unique")
        ]
        indexes = [
            models.Index(fields=["activity", "reviewer_key"], name="pair_review_reviewer_idx"),
            models.Index(fields=["activity", "state", "expires_at"], name="pair_review_lease_expiry_idx"),
            models.Index(fields=["reclaim_token"], name="pair_review_reclaim_idx"),
        ]


class Review(models.Model):
    """A rubric assessment of a submission: by a peer, by the pair itself, or by course staff."""

    class Kind(models.TextChoices):
        PEER = "peer"
        SELF = "self"
        STAFF = "staff"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reviews")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    assignment = models.OneToOneField(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="review"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reviewer_key = models.CharField(max_length=REVIEWER_KEY_LENGTH)
    reviewer_profile = models.CharField(max_length=20, blank=True, default="")
    choices = models.JSONField(default=dict)  # {criterion id: level id}
    comments = models.JSONField(default=dict)  # {criterion id: text}
    score = models.FloatField()  # this review's weighted score, in [0, 1]
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Feedback on feedback, given by the reviewed pair.
    helpfulness = models.PositiveSmallIntegerField(null=True, blank=True)
    helpfulness_comment = models.TextField(blank=True, default="")
    rated_by = models.CharField(max_length=ANONYMOUS_ID_LENGTH, blank=True, default="")
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer_key"], name="pair_review_review_unique")]
        indexes = [models.Index(fields=["activity", "reviewer_key"], name="pair_review_review_author_idx")]


class AccuracySample(models.Model):
    """One measure of a reviewer's accuracy: their assessment of a calibration example against the
    author's reference, or their review of a work against the trainer's review of it (see
    accuracy.py). The reviewer's accuracy is the mean of their samples."""

    class Source(models.TextChoices):
        CALIBRATION = "calibration"
        TRAINER = "trainer"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    reviewer_key = models.CharField(max_length=REVIEWER_KEY_LENGTH)
    source = models.CharField(max_length=12, choices=Source.choices)
    reference = models.CharField(max_length=64)  # the example's id, or the submission's id
    choices = models.JSONField(default=dict)  # the reviewer's levels (calibration: shown back to them)
    agreement = models.FloatField()  # in [0, 1]
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "reviewer_key", "source", "reference"], name="pair_review_accuracy_unique"
            )
        ]


class GradeOverride(models.Model):
    """History of trainer overrides of a pair's final grade: who, when, old, new, why."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="overrides")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="overrides")
    by = models.CharField(max_length=ANONYMOUS_ID_LENGTH)
    by_username = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField()
    old_grade = models.FloatField(null=True, blank=True)
    new_grade = models.FloatField(null=True, blank=True)  # None: the override was cleared
    reason = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["submission", "at"], name="pair_review_override_idx")]
