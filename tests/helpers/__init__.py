"""Helpers shared by the tests (and the docs screenshot script): not part of the xbsim package."""
