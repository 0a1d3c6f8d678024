"""Training the models the service ships (never imported by the service itself)."""
