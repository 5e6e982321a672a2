"""The code generator: OpenAPI spec -> openai_core/_generated (run: python -m tools.codegen)."""
