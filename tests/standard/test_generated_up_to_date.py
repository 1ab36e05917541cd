"""generated/vptr/standard/ is exactly what `vptr generate` makes from model/ and shapes/, and
generating is deterministic: the same input gives the same bytes, whatever the interpreter's hash
seed.

When the first two tests fail, someone changed the model, the hand-written shapes or the generator
without running `vptr generate` (or edited a generated file by hand): run it and commit the result.
"""

from __future__ import annotations


def test_no_generated_file_is_missing_or_extra(fresh_dir, committed_dir, read_artefacts):
    committed, fresh = read_artefacts(committed_dir), read_artefacts(fresh_dir)
    assert sorted(set(fresh) - set(committed)) == [], "not committed: run `vptr generate`"
    assert sorted(set(committed) - set(fresh)) == [], "no longer generated: remove or regenerate"


def test_every_committed_generated_file_equals_a_fresh_generation(
    fresh_dir, committed_dir, read_artefacts
):
    committed, fresh = read_artefacts(committed_dir), read_artefacts(fresh_dir)
    stale = sorted(name for name in fresh if name in committed and committed[name] != fresh[name])
    assert stale == [], f"stale generated files (run `vptr generate`): {stale}"


def test_generating_twice_gives_byte_identical_files(fresh_generations, read_artefacts):
    """The two runs use different hash seeds, so output that follows set or hash order shows up."""
    first, second = (read_artefacts(folder) for folder in fresh_generations)
    assert sorted(first) == sorted(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], f"not deterministic: {differing}"
