"""Specifications of who may do what in the register (issue 5)."""
