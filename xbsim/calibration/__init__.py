"""Calibration of the model to a running programme's monitoring data, and the forecast of the rest of it.

* :mod:`xbsim.calibration.monitoring` -- the monitoring-data format (CSV/XLSX, one row per month and indicator),
  its validating reader, its template writer and the same indicators measured on a model run;
* :mod:`xbsim.calibration.settings` -- the calibration configuration (priors, ABC, forecast actions);
* :mod:`xbsim.calibration.abc` -- likelihood-free Bayesian calibration: rejection ABC on a prior-predictive reference
  table, with semi-automatic summaries and a regression adjustment;
* :mod:`xbsim.calibration.forecast` -- posterior-predictive runs from the observed month to the horizon;
* :mod:`xbsim.calibration.report` -- the posterior table, figures and the report section.
"""
