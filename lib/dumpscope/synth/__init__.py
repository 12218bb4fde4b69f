"""dumpscope.synth."""
