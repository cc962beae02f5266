"""Pair peer review: theoretician-practitioner pairs submit joint work and review other pairs.

The domain layer (plain-Python services over the models of the ``devisus_pair_review`` app) is
documented for the block and its handlers in ``API.md`` beside this file. Grouped by domain:

- ``activity``, ``config``, ``models``, ``db``  the activity row, its settings, the tables
- ``pairing/``    ``formation`` (profiles, automatic matching, invitation codes, trainer CSV,
  leftovers, moves), ``pairs_csv``, ``drafts`` (the joint draft and its submission),
  ``inactivity`` (silent partners, splitting pairs)
- ``reviewing/``  ``allocation`` (fair, cross-role, concurrency-safe leases), ``reviews`` (peer,
  self and trainer reviews; feedback on feedback), ``rubric``, ``calibration``, ``examples``,
  ``accuracy``
- ``grading/``    ``grades`` (medians, weights, trainer grade, overrides, flexible grading),
  ``gradebook`` (edx-submissions in the LMS, recording in the preview), ``delivery`` (publishing
  now or from the LMS's workers)
- ``trainer/``    ``oversight`` (the status of pairs, withdrawing work), ``worklist``, ``export``
- ``views/``      ``learner`` (the learner's state in one call), ``presenter`` (view-models),
  ``replies`` (what handlers answer)
- ``block``, ``olx``, ``scenarios``  the XBlock, its OLX and its workbench scenarios
- ``retirement``, ``signals``, ``tasks``  GDPR retirement, the LMS signal receiver, Celery tasks
"""
