"""Reading the platform's YAML data files (support pages, geography, indicator sets).

libyaml's parser when PyYAML has it (its wheels do): the same documents and values as the
pure-Python parser, several times faster. The plan file has its own loader (plans.plan_file),
which also keeps the marks for its problem list.
"""

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str | bytes) -> Any:
    """`yaml.safe_load`, through libyaml when it is there."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
