"""What every HTTP channel needs from a request before it calls a use case, in one place: the
running register, the authenticated principal (once per request) and the :class:`Caller` the use
cases take. Built on Starlette's request alone, so the native API, APDS, NPR and the open data
share it without importing one another."""
