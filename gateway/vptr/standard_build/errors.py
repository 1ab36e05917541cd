"""The error a broken model raises: it names the file and the element so the editor can find
them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ModelProblem:
    file: str
    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.element}: {self.message}"


class ModelError(Exception):
    """The model cannot be turned into a standard; nothing was written."""

    def __init__(self, problems: list[ModelProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
