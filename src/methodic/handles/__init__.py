"""Resource handles: sugar over the namespaces that hold an id and, optionally, the last server response.

Attribute reads fetch transparently when nothing is cached; every mutation returns ``self`` and drops
the cache, so ``exp.commit().variations.create(config_yaml=...)`` works and the next ``exp.state`` is
fresh. Nobody calls ``refresh()``. ``handles.experiment`` and ``handles.variation`` hold them; the run is
``methodic.run``.
"""

from methodic.handles.experiment import Experiment, ExperimentVariations
from methodic.handles.variation import Variation

__all__ = ["Experiment", "ExperimentVariations", "Variation"]
