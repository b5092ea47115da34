"""Event contracts: the envelope and the typed payloads every producer and consumer shares."""
