"""The embedded stack: `make run` and the end-to-end tests start TicketFlower with it."""
