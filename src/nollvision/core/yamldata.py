"""Reading the platform's YAML: its data files (support pages, geography, indicator sets) and
plan files.

libyaml's parser when PyYAML has it (its wheels do): the same documents and values as the
pure-Python parser, several times faster. The plan file parser (plans.plan_file) uses the
loader itself, for the marks of its problem list.
"""

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str | bytes) -> Any:
    """`yaml.safe_load`, through libyaml when it is there."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
