"""Human review of extracted facts."""
