"""Resource namespaces: one module per namespace of the API reference."""
