"""The interactive exploration app: Mesa SolaraViz on Solara, served locally by ``xbsim-app``.

Modules, one job each: :mod:`~xbsim.app.config` (the command line's Hydra overrides, handed to the page, composed
safely, one-line errors), :mod:`~xbsim.app.params` (the controls and the overrides they stand for),
:mod:`~xbsim.app.appmodel` (the model the page re-creates on reset: :class:`~xbsim.model.XBSimModel` itself, built
from the controls), :mod:`~xbsim.outputs.network`, :mod:`~xbsim.app.charts` and :mod:`~xbsim.app.criteria` (what
the views draw), :mod:`~xbsim.app.views` (the Solara components), :mod:`~xbsim.app.layout` (their places on the
grid), :mod:`~xbsim.app.page` (the SolaraViz page) and :mod:`~xbsim.app.server` (serving it on 127.0.0.1). Nothing
in the model imports this package; the helpers that run it as a child process and drive it in headless Chromium are
test code (``tests/helpers/``).
"""
