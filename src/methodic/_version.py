import platform

__version__ = "0.1.0"

#: Sent on every API and storage request.
USER_AGENT = f"methodic/{__version__} python/{platform.python_version()}"
