"""Reports computed by the database (R-RPT-1..4, R-SAT-1, R-SAT-3): one module per report
family, each one aggregate statement (two for the work-status report)."""
