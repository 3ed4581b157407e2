"""The programme's stages as vectorised mechanisms, in the order a programme runs them:

- stage 1, analysis and convergence: :mod:`~xbsim.programme.analysis` (location quotients, value-chain coverage,
  SME needs, convergence);
- stage 2, identification and B2B: :mod:`~xbsim.programme.identification` (outreach, referrals, survey and
  interviews), :mod:`~xbsim.programme.clues` (complementarity and the clues for collaboration),
  :mod:`~xbsim.programme.workshops` (thematic workshops and brokered introductions), :mod:`~xbsim.programme.b2b`
  (matchmaking events), :mod:`~xbsim.programme.partnerships` (negotiation, decisions, dissolution);
- stage 3, creation of the poles: :mod:`~xbsim.programme.feasibility` (the study and its conditions),
  :mod:`~xbsim.programme.joining` (accompaniment and the joining cascade), :mod:`~xbsim.programme.critical_mass`
  (constitution), :mod:`~xbsim.programme.markets` (the strategic plan's diversification markets);
- across the stages: :mod:`~xbsim.programme.calendar` (what happens when), :mod:`~xbsim.programme.state` and
  :mod:`~xbsim.programme.relations` (the actors' programme state: arrays and sparse pair tables),
  :mod:`~xbsim.programme.poles` (each pole's status), :mod:`~xbsim.programme.indicators` (Interreg indicators),
  :mod:`~xbsim.programme.proposal` (poles proposed from the clues), :mod:`~xbsim.programme.costs` (the planned
  cost of the levers).

Every function takes arrays and its typed config section and draws from the generator it is given; none imports
the model, the outputs or the study layer.
"""
