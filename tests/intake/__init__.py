"""Tests of dumpscope.intake."""
