"""The trainer's side: statuses of pairs, the worklist, withdrawing work, CSV exports."""
