"""dumpscope.analyses."""
