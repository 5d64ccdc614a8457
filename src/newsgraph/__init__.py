"""newsgraph: news articles in, a sourced, time-aware graph of who did what to whom out."""

__version__ = "0.1.0"
