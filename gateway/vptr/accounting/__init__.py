"""Accounting: metering, the audit log and retention."""
