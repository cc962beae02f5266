"""Reviews: allocation of leases, rubric, peer/self/trainer reviews, calibration and accuracy."""
