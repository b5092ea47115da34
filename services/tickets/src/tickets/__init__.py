"""Ticket instances, attachments, external ticket events and ticket status."""
