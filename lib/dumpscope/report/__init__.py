"""dumpscope.report."""
