"""Test harness shared by every service's tests (loaded as the pytest plugin
`common.testing.plugin`)."""
