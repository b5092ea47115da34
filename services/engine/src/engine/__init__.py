"""Workflow and task instances, transitions, assignment, timers and incidents."""
