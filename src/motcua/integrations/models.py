"""Models of the national connections (the outbox of national sync, postal orders...)."""
