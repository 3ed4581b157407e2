"""Experiments with the model: replications of a scenario with confidence intervals, sweeps of scenarios through
Hydra's launchers, their collection and report, and global sensitivity analysis.

Modules: ``stats`` (Wilson, Kaplan-Meier, differences), ``records`` and ``aggregate`` (per-replication outcomes and
scenario tables), ``replicate`` and ``scenario`` (running), ``job``, ``hydra_support`` and ``callbacks`` (the Hydra
side), ``collect`` and ``report`` (reading results back), ``sensitivity`` (Sobol' indices and LHS exploration).
"""
