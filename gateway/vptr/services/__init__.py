"""The register's use cases: one function per question or change a user can ask. Every channel
(the native API, APDS, NPR, the web app) calls these and holds no rule of the register itself."""
