"""Where the result types are defined, one module per area; import them from :mod:`methodic.types`.

``experiments`` (experiments, variations, runs), ``assets`` (assets and what creating, presigning and linking
them answers), ``research`` (search, findings, lessons, prompts, errata, publications), ``workspace`` (scopes,
API keys, git, tags, collections) and ``transfers`` (what the engine builds itself: digests, multipart steps,
resume outcomes, downloaded checkpoints). Each builds on :class:`methodic._models.Record`; none imports
:mod:`methodic.types`, which gathers them (with the older names) as the one public module of results.
"""
