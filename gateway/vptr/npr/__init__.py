"""The NPR-style channel: providers and scan cars connected to the Dutch national parking
register talk to this register with their existing clients (interface v18.0, namespace
http://rdw.nl/rpv/1.0), over SOAP 1.1 (``/npr/soap``, WSDL at ``/npr/soap?wsdl``) or as JSON
(``/npr/{Operation}``), authenticated with the register's own credentials.

A channel: it parses the messages (validated against the XSD), calls the use cases of
``vptr.services.npr`` and renders the answers; the composition root mounts :data:`ROUTERS`.
docs/npr-gateway.md is the guide for providers.
"""

from vptr.npr.routes import router

ROUTERS = [router]

__all__ = ["ROUTERS"]
