"""Stage-1 analysis: competitiveness, value-chain coverage, SME needs, convergence."""
