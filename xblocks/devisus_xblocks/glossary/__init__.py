"""The DEVISUS glossary: 24 terms in French and English, search, and a practice mode."""
