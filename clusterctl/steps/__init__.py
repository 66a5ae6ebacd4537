"""One module per step of the plans (see clusterctl/plans.py)."""
