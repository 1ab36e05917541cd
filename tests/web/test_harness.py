"""The browser tests skip with a reason where no browser can run, except where they must run
(CI, or VPTR_REQUIRE_BROWSER=1): there they fail."""

from __future__ import annotations

import pytest
from _pytest.outcomes import Failed, Skipped

from . import conftest


@pytest.mark.parametrize(("env", "outcome"), [
    ({}, Skipped), ({"CI": "true"}, Failed), ({"VPTR_REQUIRE_BROWSER": "1"}, Failed)])
def test_no_chromium_skips_unless_the_browser_is_required(monkeypatch, env, outcome):
    monkeypatch.setattr(conftest, "chromium_path", lambda: None)
    for name in ("CI", "VPTR_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(outcome, match="chromium"):
        conftest.require_browser()
