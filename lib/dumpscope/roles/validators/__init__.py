"""Validators for French identifiers and personal fields, vectorized over distinct values."""
