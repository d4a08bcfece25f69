"""Review for missed red flags: the review queue, clinicians' verdicts and their export."""
