"""The fast validator: the compiled application profile run over a :class:`DataGraph`.

Only the objects the payload describes are checked (supporting entities and bare references are
context, the register checks those exist), each against every shape targeting one of its classes.
"""

from __future__ import annotations

from collections.abc import Callable

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
    """Records the model's class of untyped objects (to name them in the report; shapes apply by
    the data's own types and ``sh:node``), links nested objects to their parents and refuses a
    payload nothing would validate."""
    index = index or model_index()
    infer_types(graph, index)
    link_parents(graph, index)
    check_validatable(graph, index)


def validate_data(graph: DataGraph, profile: CompiledProfile | None = None) -> Report:
    """Validates a prepared graph (see :func:`prepare`) against the profile.

    Each object the payload describes is checked against the shapes targeting its classes, and
    every value reached through ``sh:node`` (an embedded object) against the shape it names, as
    any SHACL engine does. A result inside an embedded object is reported where it is (the
    object, its property), not as the embedding property's ``sh:node`` failure: that is the
    report pySHACL's ``sh:detail`` holds, flattened. Each object is checked against a shape
    once, however it is reached (a typed nested object is also a target)."""
    profile = profile or compiled_profile()
    run = _Run(profile, model_index(), RuleData(graph), Report(engine="fast"))
    for node in graph.described():
        if class_name(node, run.index) is not None:
            run.report.focus_nodes += 1
        for shape in profile.shapes_for(node.types):
            run.check(node, shape)
    return run.report


class _Run:
    """One validation: the shapes already applied to each node, and the report it fills."""

    def __init__(self, profile: CompiledProfile, index: ModelIndex, data: RuleData,
                 report: Report) -> None:
        self.profile = profile
        self.index = index
        self.data = data
        self.report = report
        self.done: set[tuple[int, str]] = set()

    def check(self, node: DataNode, shape: NodeShape) -> None:
        key = (id(node), shape.iri)
        if key in self.done:
            return
        self.done.add(key)
        _check(node, class_name(node, self.index), shape, self)

    def conforms(self, value: DataNode | Lit, shape: NodeShape) -> bool:
        """Whether a value that is no object (a literal) conforms to a node shape: checked as a
        node without properties, in a run of its own whose results are not reported."""
        probe = DataNode(value.lexical if isinstance(value, Lit) else value.key, False)
        trial = _Run(self.profile, self.index, self.data, Report(engine="fast"))
        trial.check(probe, shape)
        return not trial.report.violations


def _check(node: DataNode, cls: str | None, shape: NodeShape, run: _Run) -> None:
    index = run.index

    def add(path: str | None, component: str, shape_iri: str, value: DataNode | Lit | None,
            messages: dict[str, str], severity: str, parameter: object) -> None:
        texts = messages_for(messages, component, parameter)
        run.report.violations.append(Violation(
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
        for link in prop.nodes:
            _embedded(values, link, run, lambda value, p=prop, target=link: add(
                p.path, "NodeConstraintComponent", p.iri, value, p.messages, p.severity, target))
    for rule in shape.rules:
        for path, value in rule.check(node, run.data):
            add(path, "SPARQLConstraintComponent", shape.iri, value, rule.messages,
                shape.severity, None)
    for link in shape.nodes:
        _embedded([node], link, run, lambda value, target=link: add(
            None, "NodeConstraintComponent", shape.iri, value, shape.messages, shape.severity,
            target))


def _embedded(values: list[DataNode | Lit], link: str, run: _Run,
              fail: Callable[[DataNode | Lit], None]) -> None:
    """``sh:node``: an object is checked against the linked shape and its own results reported;
    a literal where an object belongs gets one result on the embedding property (it has no
    properties to report on)."""
    shape = run.profile.by_iri.get(link)
    if shape is None:  # deactivated: conforms
        return
    for value in values:
        if isinstance(value, DataNode):
            run.check(value, shape)
        elif not run.conforms(value, shape):
            fail(value)


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
