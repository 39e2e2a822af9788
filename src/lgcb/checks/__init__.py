"""Checks: the one problem type, the rule registry, loading a plan with every problem, and coverage."""
