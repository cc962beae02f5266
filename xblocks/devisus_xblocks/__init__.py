"""DEVISUS XBlocks: pair peer review, self-positioning and glossary."""
