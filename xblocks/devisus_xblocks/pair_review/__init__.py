"""Pair peer review: theoretician-practitioner pairs submit joint work and review other pairs."""
