"""`make bench`: time the plan import and the plan page on a throw-away SQLite database.

Prints JSON with medians and 95th percentiles. Targets live here, never in unit tests.
"""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(rounds: int = 30) -> dict:
    folder = tempfile.mkdtemp(prefix="nollvision-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nollvision.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    imports = []
    for _round in range(5):
        start = time.perf_counter()
        call_command("import_plan", verbosity=0, stdout=io.StringIO())
        imports.append(time.perf_counter() - start)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {
        "plan_import_s": {"median": statistics.median(imports), "p95": _percentile(imports, 0.95)}
    }
    for name, path in [
        ("plan_page", "/"),
        ("plan_page_filtered", "/?goal=2&kind=police"),
        ("responsibilities", "/planer/vasternorrland-2022-2026/v1/ansvar/"),
    ]:
        timings = []
        for _round in range(rounds):
            start = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        results[name] = {
            "median_ms": statistics.median(timings) * 1000,
            "p95_ms": _percentile(timings, 0.95) * 1000,
            "queries": len(queries),
        }
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return results


if __name__ == "__main__":
    main()
