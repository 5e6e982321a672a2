"""Hand-written helpers on top of the generated wire layer (conveniences, builder bases)."""
