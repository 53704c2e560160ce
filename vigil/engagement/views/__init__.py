"""The engagement pages, one module per screen family."""
