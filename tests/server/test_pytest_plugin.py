"""The shipped pytest plugin, as a user's test suite would use it."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_fixtures_in_a_users_test_file(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_runner(chronicle, chronicle_server):
            exp = chronicle.experiments.create(title="mine", hypothesis_summary="h", config_yaml="lr: 1")
            exp.commit()
            chronicle.variation(exp.id, 0).commit()
            run = chronicle.run(exp.id, 0, 0).start()
            assert run.succeed().state == "succeeded"
            assert chronicle_server.contract_violations == []
        """
    )
    # opted in explicitly, and through the installed entry point
    explicit = pytester.runpytest_subprocess("-p", "methodic.testing.pytest_plugin", "-p", "no:cacheprovider")
    explicit.assert_outcomes(passed=1)
    autoloaded = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    autoloaded.assert_outcomes(passed=1)
