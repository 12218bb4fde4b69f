"""dumpscope: forensic profiling of leaked personal-data dumps."""

__version__ = "0.1.0"
