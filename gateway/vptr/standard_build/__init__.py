"""Turns the LinkML model in ``model/`` into the OSLO standard in ``generated/``.

Only the standards working group's tool chain needs this package (it imports the LinkML generators,
a development dependency); the running gateway reads the generated files instead.
"""
