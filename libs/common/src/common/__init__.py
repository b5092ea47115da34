"""Infrastructure every TicketFlower service shares. No domain code lives here."""
