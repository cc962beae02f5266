"""What the block shows: the learner's state, the view-models and the handlers' replies."""
