"""dumpscope.intake."""
