"""Console commands (thin: parse, call, print).

The commands draw their figures off screen: matplotlib's Agg backend unless the user's ``MPLBACKEND`` says
otherwise (set here, before any command imports matplotlib; the library modules never choose a backend, so a
notebook keeps its own)."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
