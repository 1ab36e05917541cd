"""Specifications of the use cases (vptr.services), called directly as every channel calls them."""
