"""Self-positioning on the DEVISUS principles and competences, before and after the course."""
