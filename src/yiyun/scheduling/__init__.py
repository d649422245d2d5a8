"""Scheduling (排班): weekly templates, the concrete doctor sessions and time windows they generate,
the hospital's booking and release rules (放号), and schedule exceptions (停诊/替诊)."""
