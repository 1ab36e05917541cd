"""The questions the register answers (the check, the trial price), as pure functions.

Nothing here touches a database or HTTP: the store hands the data in through
:class:`vptr.domain.sources.CheckSources`, so the rules can be tested on plain objects and the same
answers come out of the API, the CLI and the benchmarks.
"""
