"""Workflow, task and ticket definitions: upload, validation, versions, export."""
