"""Small helpers shared by tests."""

import copy
from pathlib import Path

import yaml
from django.conf import settings


def default_plan_data() -> dict:
    return yaml.safe_load(Path(settings.NOLLVISION_DEFAULT_PLAN_FILE).read_text("utf-8"))


def plan_yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def mutated(data: dict, change) -> dict:
    clone = copy.deepcopy(data)
    change(clone)
    return clone
