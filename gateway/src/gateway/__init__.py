"""The public entry of TicketFlower."""
