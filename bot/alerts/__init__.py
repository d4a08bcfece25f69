"""Care-team alerts: the transactional outbox and the worker that delivers it."""
