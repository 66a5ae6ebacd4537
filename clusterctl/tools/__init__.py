"""Thin wrappers that turn intentions into argv for docker and kubectl, run through the runner seam."""
