"""Grades: the pair's grade from its reviews, overrides, flexible grading, the gradebook."""
