"""Tests of the synthetic dump generator."""
