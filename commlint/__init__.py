"""commlint: a customer-communication consistency linter."""

__version__ = "0.1.0"
