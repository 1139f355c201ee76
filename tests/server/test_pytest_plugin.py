"""The shipped pytest plugin, as a user's test suite would use it: opt-in, never auto-loaded."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USERS_TEST = """
def test_runner(chronicle, chronicle_server):
    exp = chronicle.experiments.create(title="mine", hypothesis_summary="h", config_yaml="lr: 1")
    exp.commit()
    chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    run = chronicle.run(exp.id, 0, 0).start()
    assert run.succeed().state == "succeeded"
    assert chronicle_server.contract_violations == []
"""


def test_fixtures_in_a_users_test_file(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(USERS_TEST)
    # opted in on the command line
    explicit = pytester.runpytest_subprocess("-p", "methodic_server.pytest_plugin", "-p", "no:cacheprovider")
    explicit.assert_outcomes(passed=1)
    # opted in from the user's conftest.py
    pytester.makeconftest('pytest_plugins = ["methodic_server.pytest_plugin"]')
    from_conftest = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    from_conftest.assert_outcomes(passed=1)


def test_the_plugin_is_not_auto_loaded(pytester: pytest.Pytester) -> None:
    """Installing the SDK must not inject fixtures (or a server import) into every project's pytest."""
    pytester.makepyfile(USERS_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'chronicle' not found*"])
