"""Response models, one module per namespace of the API reference."""
