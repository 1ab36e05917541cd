"""Authentication and access: principals, API keys, JWT/OIDC, the tenant and authorisation rules."""
