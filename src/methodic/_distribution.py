"""Which installed distribution this ``methodic`` package is, and whether the hosted client shares it.

This SDK is the distribution ``methodic-sdk``. The hosted platform's own published client is the
distribution ``methodic-research``, and it also installs a top-level package named ``methodic``. Installed
into one environment, the two write into the same ``site-packages/methodic/`` folder: whichever went in
last overwrites the other's files, and ``import methodic`` loads one, the other, or a mix of both. Nothing
in pip prevents that, so the SDK looks for it itself and says so.
"""

from __future__ import annotations

import os
import warnings

#: This SDK's distribution name on the package index (``pip install methodic-sdk``).
DISTRIBUTION = "methodic-sdk"

#: The hosted platform's published client, which also imports as ``methodic``.
HOSTED_DISTRIBUTION = "methodic-research"

_HOSTED_DIST_INFO_PREFIX = HOSTED_DISTRIBUTION.replace("-", "_") + "-"


class MixedInstallWarning(RuntimeWarning):
    """The hosted client ``methodic-research`` is installed beside this SDK: both are the ``methodic`` package.

    A warning rather than an error: the files that ``import methodic`` loaded may still be whole (this
    SDK installed last), and a training job should not die at import over it. The message says how to
    get one clean package back.
    """


def mixed_install_message(location: str) -> str:
    """The one explanation of a mixed install, shared by the import-time warning and the checks."""
    return (
        f"{HOSTED_DISTRIBUTION} (the hosted platform's published client) is installed in {location} beside "
        f"{DISTRIBUTION} (this SDK). Both install the top-level package `methodic`, so their files overwrite "
        f"each other and `import methodic` may load either one, or a mix of both. Keep one per environment: "
        f"`pip uninstall -y {HOSTED_DISTRIBUTION} {DISTRIBUTION} && pip install {DISTRIBUTION}` "
        f"(or install the hosted client into a venv of its own)."
    )


def hosted_client_beside(package_dir: str | None = None) -> str | None:
    """The hosted client's ``.dist-info`` folder next to this package's folder, or None.

    The cheap check that runs at ``import methodic``: one directory listing of the folder that holds the
    ``methodic`` package (``site-packages`` for a regular install), no ``importlib.metadata`` scan of
    every distribution. It sees exactly the harmful case, two distributions writing into one folder. An
    editable install of this SDK lives in its checkout, where the hosted client's files cannot mix
    into it; :func:`other_distributions` is the thorough check for that case too.
    """
    package_dir = package_dir or os.path.dirname(os.path.abspath(__file__))
    parent = os.path.dirname(package_dir)
    try:
        with os.scandir(parent) as entries:
            for entry in entries:
                if entry.name.startswith(_HOSTED_DIST_INFO_PREFIX) and entry.name.endswith(".dist-info"):
                    return entry.path
    except OSError:  # a zip import, an unreadable folder: nothing to say
        return None
    return None


def other_distributions() -> list[str]:
    """Every installed distribution other than this SDK that provides the top-level package ``methodic``.

    The thorough check (for ``methodic --version`` and the docs' "is it ours?"): it reads the metadata
    of every distribution on ``sys.path`` (tens of milliseconds), so it never runs at import.
    """
    from importlib.metadata import packages_distributions

    providers = packages_distributions().get("methodic", [])
    return sorted({name for name in providers if name.lower().replace("_", "-") != DISTRIBUTION})


def version_report() -> str:
    """What ``methodic --version`` can print: the version, the distribution and where it imports from.

    A second line warns when another installed distribution also provides ``methodic`` (the thorough
    check of :func:`other_distributions`, affordable on request, not at import).
    """
    from methodic._version import __version__

    package_dir = os.path.dirname(os.path.abspath(__file__))
    line = f"methodic {__version__} ({DISTRIBUTION}) from {package_dir}"
    others = other_distributions()
    if not others:
        return line
    if others == [HOSTED_DISTRIBUTION]:
        return f"{line}\nwarning: {mixed_install_message(os.path.dirname(package_dir))}"
    return f"{line}\nwarning: {', '.join(others)} also provide the package `methodic`; keep one per environment."


def warn_if_mixed() -> None:
    """At import: warn once with :class:`MixedInstallWarning` when the hosted client sits beside this SDK."""
    found = hosted_client_beside()
    if found is not None:
        warnings.warn(mixed_install_message(os.path.dirname(found)), MixedInstallWarning, stacklevel=2)
