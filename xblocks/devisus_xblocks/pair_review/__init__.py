"""Pair peer review: theoretician-practitioner pairs submit joint work and review other pairs.

The domain layer (plain-Python services over the models of the ``devisus_pair_review`` app) is
documented for the block and its handlers in ``API.md`` beside this file:

- ``activity``   ``get_activity``, ``ActivitySettings`` (Studio settings and their validation)
- ``rubric``     default capstone rubric (FR/EN) as data, rubric validation
- ``pairing``    profiles, automatic matching, invitation codes, trainer CSV, leftovers, moves
- ``drafts``     the joint draft (versioned, stale saves refused) and its submission
- ``allocation`` fair, cross-role, concurrency-safe review leases
- ``reviews``    peer, self and trainer reviews; feedback on feedback
- ``grading``    medians, weights, trainer grade, overrides with history, flexible grading
- ``trainer``    status of every pair, withdrawing work from review
- ``export``     CSV exports (anonymised by default, formula injection neutralised)
- ``gradebook``  ``GradePublisher``: edx-submissions in the LMS, recording in the preview
- ``learner``    everything the learner view needs in one call
- ``retirement`` / ``signals``  GDPR retirement and the LMS signal receiver
"""
