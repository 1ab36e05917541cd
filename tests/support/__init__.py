"""What several suites build their specifications from: bodies of requests (``builders``), rows
written straight into the tables (``rows``), a register with two tenants (``two_tenants``), a
minimal app with the security machinery (``small_app``) and a local identity provider
(``identity_provider``). Imported as ``support.<module>``."""
