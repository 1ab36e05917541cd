"""The fast validator: the compiled application profile run over a :class:`DataGraph`.

Only the objects the payload describes are checked (supporting entities and bare references are
context, the register checks those exist), each against every shape targeting one of its classes.
"""

from __future__ import annotations

from .components import values_of
from .datagraph import (
    RDF_TYPE,
    DataGraph,
    DataNode,
    Lit,
    check_validatable,
    class_name,
    field_path,
    infer_types,
    link_parents,
)
from .messages import messages_for
from .model_index import ModelIndex, model_index
from .profile import CompiledProfile, NodeShape, compiled_profile
from .report import Report, Violation
from .rules import RuleData

_CLOSED_ALWAYS_IGNORED = (RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#Resource")


def prepare(graph: DataGraph, index: ModelIndex | None = None) -> None:
    """Types untyped objects from the model, links nested objects to their parents and refuses a
    payload nothing would validate."""
    index = index or model_index()
    infer_types(graph, index)
    link_parents(graph, index)
    check_validatable(graph, index)


def validate_data(graph: DataGraph, profile: CompiledProfile | None = None) -> Report:
    """Validates a prepared graph (see :func:`prepare`) against the profile."""
    profile = profile or compiled_profile()
    index = model_index()
    data = RuleData(graph)
    report = Report(engine="fast")
    for node in graph.described():
        cls = class_name(node, index)
        if cls is not None:
            report.focus_nodes += 1
        for shape in profile.shapes_for(node.types):
            _check(node, cls, shape, data, report, index)
    return report


def _check(node: DataNode, cls: str | None, shape: NodeShape, data: RuleData, report: Report,
           index: ModelIndex) -> None:
    def add(path: str | None, component: str, shape_iri: str, value: DataNode | Lit | None,
            messages: dict[str, str], severity: str, parameter: object) -> None:
        texts = messages_for(messages, component, parameter)
        report.violations.append(Violation(
            focus=node.key, focus_class=cls, path=path,
            property=index.short_name(path) if path is not None else None,
            component=component, shape=shape_iri, value=_text(value),
            message=texts["en"], field=field_path(node, path, index), severity=severity,
            messages=texts, pointer=_pointer(node, path, index), value_kind=_kind(value),
            value_datatype=value.datatype if isinstance(value, Lit) else None))

    for constraint in shape.constraints:
        for value in constraint.check(node, [node]):
            add(None, constraint.component, shape.iri, value, shape.messages, shape.severity,
                constraint.parameter)
    if shape.closed is not None:
        for predicate, values in node.props.items():
            if predicate not in shape.closed:
                for value in values:
                    add(predicate, "ClosedConstraintComponent", shape.iri, value, shape.messages,
                        shape.severity, None)
        if RDF_TYPE not in shape.closed:
            for type_iri in node.types:
                if type_iri not in _CLOSED_ALWAYS_IGNORED:
                    add(RDF_TYPE, "ClosedConstraintComponent", shape.iri,
                        DataNode(type_iri, False), shape.messages, shape.severity, None)
    for prop in shape.properties:
        values = values_of(node, prop.path)
        for constraint in prop.constraints:
            for value in constraint.check(node, values):
                add(prop.path, constraint.component, prop.iri, value, prop.messages,
                    prop.severity, constraint.parameter)
    for rule in shape.rules:
        for path, value in rule.check(node, data):
            add(path, "SPARQLConstraintComponent", shape.iri, value, rule.messages,
                shape.severity, None)


def _text(value: DataNode | Lit | None) -> str | None:
    if value is None:
        return None
    return value.lexical if isinstance(value, Lit) else value.key


def _kind(value: DataNode | Lit | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Lit):
        return "literal"
    return "blank" if value.blank else "iri"


def _pointer(node: DataNode, path: str | None, index: ModelIndex) -> str | None:
    if node.pointer is None:
        return None
    if path is None:
        return node.pointer
    return f"{node.pointer}/{index.short_name(path)}"
