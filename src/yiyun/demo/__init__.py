"""Demo data: a deterministic, idempotent set of hospitals, departments, staff and patient accounts.
Every name and number in it is invented."""
