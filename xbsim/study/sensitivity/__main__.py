"""``python -m xbsim.study.sensitivity``."""

from xbsim.study.sensitivity.cli import main

main()
