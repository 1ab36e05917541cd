"""The generated half of the application profile: gen-shacl's shapes, made fit to publish.

gen-shacl gets the constraints right (closed shapes, datatypes, sh:in, cardinalities, patterns) but
names each shape after its target class (so a shape of ours would make statements about
mobiliteit:Zone), leaves property shapes blank, labels them in one language, states enumeration
defaults as strings and adds a property shape for the identifier slot, which is ``@id`` in the data
and never a property. This module fixes exactly those things and nothing else.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, XSD

from .model_loader import LoadedModel
from .namespaces import PROFILE_BASE, VANN, bind_common
from .terms import Terms


def _generated_shapes(model: LoadedModel) -> Graph:
    from linkml.generators.shaclgen import ShaclGenerator

    text = ShaclGenerator(str(model.main_file), mergeimports=True).serialize()
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return graph


_CLASS_REFERENCES = {SH.targetClass, SH["class"]}


def _rename(graph: Graph, old: URIRef | BNode, new: URIRef) -> None:
    """Renames a shape; where its old name is also a class IRI, class references keep it."""
    for p, o in list(graph.predicate_objects(old)):
        graph.remove((old, p, o))
        graph.add((new, p, old if p in _CLASS_REFERENCES and o == old else o))
    for s, p in list(graph.subject_predicates(old)):
        if p in _CLASS_REFERENCES:
            continue
        graph.remove((s, p, old))
        graph.add((s, p, new))


def _drop(graph: Graph, node: BNode) -> None:
    for s, p in list(graph.subject_predicates(node)):
        graph.remove((s, p, node))
    graph.remove((node, None, None))


def build_shapes(model: LoadedModel, terms: Terms) -> Graph:
    graph = _generated_shapes(model)
    result = bind_common(Graph(), terms.prefixes)
    for triple in graph:
        result.add(triple)
    graph = result
    identifier_path = URIRef(terms.namespace + "id")

    for shape, target in list(graph.subject_objects(SH.targetClass)):
        cls = terms.class_by_iri(str(target))
        node = URIRef(f"{PROFILE_BASE}{cls.name}Shape")
        _rename(graph, shape, node)
        graph.remove((node, RDFS.label, None))
        graph.remove((node, RDFS.comment, None))
        for lang, label, definition in (("nl", cls.labels.nl, cls.labels.definition_nl),
                                        ("en", cls.labels.en, cls.labels.definition_en)):
            graph.add((node, RDFS.label, Literal(label, lang=lang)))
            graph.add((node, RDFS.comment, Literal(definition, lang=lang)))
        for prop_shape in list(graph.objects(node, SH.property)):
            path = graph.value(prop_shape, SH.path)
            if path == identifier_path:
                _drop(graph, prop_shape)
                continue
            prop = next(p for p in cls.properties if p.iri == str(path))
            named = URIRef(f"{PROFILE_BASE}{cls.name}.{prop.name}")
            _rename(graph, prop_shape, named)
            for predicate in (SH.name, SH.description):
                graph.remove((named, predicate, None))
            for lang, label, definition in (("nl", prop.labels.nl, prop.labels.definition_nl),
                                            ("en", prop.labels.en, prop.labels.definition_en)):
                graph.add((named, SH.name, Literal(label, lang=lang)))
                graph.add((named, SH.description, Literal(definition, lang=lang)))
            for lang, note in (("nl", prop.labels.usage_nl), ("en", prop.labels.usage_en)):
                if note:
                    graph.add((named, VANN.usageNote, Literal(note, lang=lang)))
            default = graph.value(named, SH.defaultValue)
            if default is not None and prop.range_kind == "enum":
                enum = terms.enums[prop.range_name]
                iri = next(v.iri for v in enum.values if v.text == str(default))
                graph.set((named, SH.defaultValue, URIRef(iri)))
    for orphan in [s for s in graph.subjects(SH.path, None) if isinstance(s, BNode)]:
        _drop(graph, orphan)
    _stand_alone(graph, terms)
    return graph


#: The lexical form of an ``xsd:decimal`` the standard accepts: digits with an optional fraction,
#: no exponent. JSON-LD writes a JSON number under a decimal term as a double (``4.15`` becomes
#: ``"4.15E0"^^xsd:decimal``, ill-typed); this pattern lets any SHACL engine refuse it.
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


#: The kinds whose versions have IRIs of their own, one segment below the thing's:
#: ``/id/zone/{ref}/{n}`` and ``/id/regime/{ref}/{n}`` (vptr.repositories.zones and .regimes).
VERSIONED_KINDS = frozenset({"zone", "regime"})


def reference_pattern(kind: str) -> str:
    """A reference to a thing of ``kind``: an http(s) IRI whose path ends in ``/id/{kind}/{ref}``
    (for a versioned kind, or one of its versions: ``/id/regime/{ref}/{n}``). Any host: another
    register's data conforms too; whether the thing exists is the register's question, not the
    profile's."""
    version = "(/[0-9]+)?" if kind in VERSIONED_KINDS else ""
    return rf"^https?://[^/?#\s]+/([^?#\s]*/)?id/{kind}/[^/?#\s]+{version}$"


def _stand_alone(graph: Graph, terms: Terms) -> None:
    """Makes the profile judge a payload on its own, with any SHACL engine and no other graph.

    gen-shacl checks every class-ranged property with ``sh:class``, which holds only for nodes
    that carry an ``rdf:type`` and, for a reference, only when the referenced thing is described
    in the same data graph. Payloads do neither: nested objects have no ``type`` and references
    are bare IRIs. So an embedded object is checked with ``sh:node`` against its class's shape,
    and a reference by its form (an IRI of the right kind). A class that only ever lives embedded
    keeps no ``sh:targetClass``: it is reached through ``sh:node`` alone, so a nested object is
    validated once, typed or not."""
    for cls in terms.classes.values():
        for prop in cls.properties:
            shape = URIRef(f"{PROFILE_BASE}{cls.name}.{prop.name}")
            if prop.range_kind == "class":
                target = terms.classes[prop.range_name]
                graph.remove((shape, SH["class"], None))
                if prop.inlined:
                    graph.add((shape, SH.node, URIRef(f"{PROFILE_BASE}{target.name}Shape")))
                elif target.identified:
                    graph.set((shape, SH.nodeKind, SH.IRI))
                    graph.add((shape, SH.pattern, Literal(reference_pattern(target.iri_kind))))
                else:
                    raise ValueError(f"{cls.name}.{prop.name} refers to {target.name}, which has "
                                     "no identifier: inline it")
            elif prop.range_iri == str(XSD.decimal) and (shape, SH.pattern, None) not in graph:
                graph.add((shape, SH.pattern, Literal(DECIMAL_PATTERN)))
        if not cls.identified:
            graph.remove((URIRef(f"{PROFILE_BASE}{cls.name}Shape"), SH.targetClass, None))
