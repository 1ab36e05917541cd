"""SOAP 1.1 around the NPR messages: reading an envelope, writing one, the faults, and the WSDL
as this gateway serves it.

Clients generated from the reference WSDL send a ``PIN`` header and WS-Addressing headers
(``Action``, ``MessageID``, ``To``, ``ReplyTo``): they are accepted (the PIN is not used: the
register's own credential travels in the HTTP headers), and an answer to a message with a
``MessageID`` carries ``RelatesTo`` and the response's ``Action``. The served WSDL is the reference
one with three changes: its XSD import points to this gateway, ``soap:address`` points here, and
the SOAP 1.2 port and binding are removed (SOAP 1.1 only).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

from vptr.npr import errors
from vptr.npr.operations import Operation, by_request_element
from vptr.npr.schema import NS, WSDL_PATH, serialise

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
ADDRESSING = ("http://www.w3.org/2005/08/addressing",
              "http://schemas.xmlsoap.org/ws/2004/08/addressing")
MEDIA_TYPE = "text/xml; charset=utf-8"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)


@dataclass(frozen=True)
class Fault(Exception):  # noqa: N818 - SOAP calls it a fault
    code: str  # Client, VersionMismatch, MustUnderstand
    text: str
    error_code: int | None = None


@dataclass(frozen=True)
class Envelope:
    operation: Operation
    element: Any  # the request element, detached
    message_id: str | None = None
    addressing: str | None = None  # the WS-Addressing namespace the client used


def read(body: bytes, soap_action: str | None) -> Envelope:
    """The operation and request element of a SOAP 1.1 request, or a :class:`Fault`."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Fault("Client", f"the body is not well-formed XML: {error}") from None
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise Fault("VersionMismatch", "SOAP 1.2 is not served: send a SOAP 1.1 envelope")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise Fault("Client", "not a SOAP 1.1 Envelope")
    message_id = addressing = None
    header = root.find(f"{{{SOAP_ENV}}}Header")
    for item in (header if header is not None else ()):
        if not isinstance(item.tag, str):
            continue
        name = etree.QName(item)
        if name.namespace in ADDRESSING:
            addressing = name.namespace
            if name.localname == "MessageID":
                message_id = (item.text or "").strip() or None
            continue
        if name.namespace == NS and name.localname in ("PIN", "OIN"):
            continue
        if item.get(f"{{{SOAP_ENV}}}mustUnderstand") in ("1", "true"):
            raise Fault("MustUnderstand", f"header {name.localname} is not understood")
    body_node = root.find(f"{{{SOAP_ENV}}}Body")
    children = [c for c in (body_node if body_node is not None else ()) if isinstance(c.tag, str)]
    if body_node is None or len(children) != 1:
        raise Fault("Client", "the Body must hold exactly one request element")
    element = children[0]
    name = etree.QName(element)
    operation = by_request_element(name.localname) if name.namespace == NS else None
    if operation is None:
        raise Fault("Client", f"{name.localname} is not a request of the NPR interface v18.0")
    action = (soap_action or "").strip().strip('"')
    if action and action != operation.action:
        raise Fault("Client", f"SOAPAction {action} does not match the body's "
                              f"{name.localname} ({operation.action})")
    if not operation.offered:
        raise Fault("Client", f"{operation.name} is not offered by this register",
                    errors.NOT_OFFERED.code)
    return Envelope(operation, deepcopy(element), message_id, addressing)


def envelope(element: Any, request: Envelope) -> bytes:
    """The answer's envelope around the response element."""
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"s": SOAP_ENV})
    if request.addressing is not None:
        header = etree.SubElement(root, f"{{{SOAP_ENV}}}Header")
        a = request.addressing
        action = etree.SubElement(header, f"{{{a}}}Action", nsmap={"a": a})
        action.text = request.operation.action + "Response"
        if request.message_id is not None:
            relates = etree.SubElement(header, f"{{{a}}}RelatesTo", nsmap={"a": a})
            relates.text = request.message_id
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    body.append(element)
    return b'<?xml version="1.0" encoding="utf-8"?>' + serialise(root)


def fault(problem: Fault) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"s": SOAP_ENV})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    node = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(node, "faultcode").text = f"s:{problem.code}"
    etree.SubElement(node, "faultstring").text = problem.text
    if problem.error_code is not None:
        detail = etree.SubElement(node, "detail")
        etree.SubElement(detail, f"{{{NS}}}ErrorCode", nsmap={"npr": NS}).text = \
            str(problem.error_code)
    return b'<?xml version="1.0" encoding="utf-8"?>' + serialise(root)


WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12_BINDING = "http://schemas.xmlsoap.org/wsdl/soap12/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
WSP = "http://schemas.xmlsoap.org/ws/2004/09/policy"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WSA10 = "http://www.w3.org/2005/08/addressing"


@lru_cache(maxsize=16)
def served_wsdl(base: str) -> bytes:
    """The reference WSDL made self-contained for a gateway at ``base`` (scheme and host)."""
    document = etree.parse(str(WSDL_PATH), _PARSER)
    root = document.getroot()
    for schema_import in root.iter(f"{{{XSD_NS}}}import"):
        schema_import.set("schemaLocation", f"{base}/npr/soap?xsd=registration.xsd")
    for binding in root.findall(f"{{{WSDL_NS}}}binding"):
        if binding.find(f"{{{SOAP12_BINDING}}}binding") is not None:
            root.remove(binding)
    for policy in root.findall(f"{{{WSP}}}Policy"):
        if policy.get(f"{{{WSU}}}Id") == "soap12interface_policy":
            root.remove(policy)
    for service in root.findall(f"{{{WSDL_NS}}}service"):
        for port in service.findall(f"{{{WSDL_NS}}}port"):
            if port.find(f"{{{SOAP12_BINDING}}}address") is not None:
                service.remove(port)
                continue
            for reference in port.findall(f"{{{WSA10}}}EndpointReference"):
                port.remove(reference)
            address = port.find(f"{{{SOAP_BINDING}}}address")
            if address is not None:
                address.set("location", f"{base}/npr/soap")
    return etree.tostring(document, xml_declaration=True, encoding="utf-8")
