"""Console commands (thin: parse, call, print)."""
