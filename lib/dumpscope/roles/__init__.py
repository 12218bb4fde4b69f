"""dumpscope.roles."""
