"""Specifications of the operator's commands (vptr.cli) and the demo they serve."""
