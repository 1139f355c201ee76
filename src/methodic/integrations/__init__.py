"""Trainer integrations: a trainer brings its own loop, one line records it as a Chronicle run.

Each framework has its own module, imported only when you use it, so ``import methodic`` never pulls
in torch or transformers:

- :mod:`methodic.integrations.transformers`: ``ChronicleCallback`` for the HF ``Trainer``.
- :mod:`methodic.integrations.lightning`: ``ChronicleCallback`` for Lightning's ``Trainer``.
- :mod:`methodic.integrations.accelerate`: ``save_checkpoint`` / ``load_checkpoint`` for a hand-written
  accelerate loop on any number of processes.

All of them do the same duties through one :class:`~methodic.integrations.session.TrainingSession`:
start the run (linking an active W&B run), snapshot the environment, heartbeat, upload each
checkpoint the moment it is written (main process only, staged so rotation cannot lose it), and end
the run honestly.
"""
