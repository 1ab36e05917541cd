"""Who is calling and what they may do: credentials, principals, tenant and authorisation rules."""
