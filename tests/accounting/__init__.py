"""Specifications of accounting: the audit log, the metering counter, batched reads of the
audit log, and retention."""
