"""Vectorised submodels of the programme: clues, identification, workshops, B2B, partnerships, poles."""
