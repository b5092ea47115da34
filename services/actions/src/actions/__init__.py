"""Action runners: SYNC and ASYNC HTTP calls, transforms, callbacks, retries."""
