"""Small shipped tables (derived regional statistics, the example survey and monitoring files, see README.md
here) and the scripts that derive or generate them (``python -m xbsim.data.<script>``)."""
