"""Companies, users, roles, sessions and password resets; issues the JWTs."""
