"""A fitted logistic-regression model stored as JSON (feature names, scaling, coefficients).

The fit scripts (`python -m assistant.fit_models`) write these files with the data, date,
command and cross-validated figures they came from; scoring needs only numpy, not scikit-learn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class LinearModel:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    params: dict[str, Any] = field(default_factory=dict)  # decision thresholds fitted with the model
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def logit(self, row: dict[str, float]) -> float:
        z = self.intercept
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += w * (row.get(name, 0.0) - mu) / sd
        return z

    def probability(self, row: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-self.logit(row)))
