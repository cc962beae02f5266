"""Pairs: forming them, their joint draft and submission, inactive partners."""
