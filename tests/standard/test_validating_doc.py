"""docs/validating.md works as written: its pySHACL commands and its JSON Schema snippet are run,
with the published files only, on a valid payload and on one invalid deep inside."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from vptr.paths import ARTEFACTS, Artefact

from .plain_shacl import ROOT

DOC = ROOT / "docs" / "validating.md"
VALID = ROOT / "examples" / "valid" / "Right-app-session.jsonld"
DEEP = ROOT / "examples" / "invalid" / "Whitelist-entry-plate-country-not-alpha-2.jsonld"


def block(language: str) -> str:
    """The code block of ``language`` that follows the comment naming this test."""
    text = DOC.read_text(encoding="utf-8")
    found = re.findall(r"<!-- tests/standard/test_validating_doc\.py[^>]*-->\n```" + language
                       + r"\n(.*?)```", text, flags=re.S)
    assert len(found) == 1, f"one tested {language} block expected in {DOC.name}"
    return found[0]


def published(folder: Path) -> None:
    """The published files, where the doc's commands expect them."""
    target = folder / "generated" / "vptr" / "standard"
    target.mkdir(parents=True)
    for artefact, info in ARTEFACTS.items():
        if info.listed:
            shutil.copy(artefact.path(), target / artefact.value)


def run_shell(folder: Path, payload: Path) -> subprocess.CompletedProcess[str]:
    shutil.copy(payload, folder / "right.jsonld")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", block("sh")], cwd=folder, env=env, text=True,
                          capture_output=True, timeout=120)


def test_the_pyshacl_commands_accept_a_valid_payload_and_refuse_one_broken_deep_inside(
        tmp_path: Path):
    published(tmp_path / "valid")
    ok = run_shell(tmp_path / "valid", VALID)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Conforms: True" in ok.stdout

    published(tmp_path / "deep")
    broken = run_shell(tmp_path / "deep", DEEP)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Conforms: False" in broken.stdout
    assert "vptrsh:LicencePlate.country" in broken.stdout  # the plate's own shape, in the details


def test_the_json_schema_snippet_prints_the_field_of_money_sent_as_a_number(tmp_path: Path,
                                                                              monkeypatch):
    shutil.copy(Artefact.JSON_SCHEMA.path(), tmp_path / "schema.json")
    monkeypatch.chdir(tmp_path)
    outputs = []
    document = json.loads(VALID.read_text(encoding="utf-8"))
    for value in ("4.00", 4.15):
        document["@graph"][0]["amountPaid"]["value"] = value
        (tmp_path / "right.jsonld").write_text(json.dumps(document), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block("python"), str(DOC), "exec"), {})
        outputs.append(out.getvalue())
    assert outputs[0] == ""
    assert outputs[1].startswith("$['@graph'][0].amountPaid.value 4.15 is not of type 'string'")


def test_every_rule_that_needs_shacl_sparql_is_listed_with_its_reason():
    """A new ``sh:sparql`` rule is skipped by a SHACL Core engine: the doc must say so."""
    import rdflib
    from rdflib.namespace import SH

    profile = rdflib.Graph().parse(Artefact.APPLICATION_PROFILE.path())
    sparql = {str(shape).rsplit("#", 1)[-1] for shape in profile.subjects(SH.sparql, None)}
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Rules that need SHACL-SPARQL", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            listed |= set(re.findall(r"`([A-Za-z]+)`", line.split(" | ")[0]))
    assert sparql, "the profile has SHACL-SPARQL rules"
    assert listed == sparql
