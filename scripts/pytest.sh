#!/usr/bin/env bash
# Run pytest; "no tests collected" (exit 5) is a failure, never a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
# worksteal: idle workers take tests from busy ones, so the long drills do not leave a tail.
# pytest rewrites the test modules' asserts on import and keeps the result in __pycache__, but
# not where PYTHONDONTWRITEBYTECODE is set (some machines set it): every worker of every run
# would rewrite them again, about 2 s of CPU each. The project's and the environment's own
# modules are compiled at install and by `make test`.
env -u PYTHONDONTWRITEBYTECODE .venv/bin/pytest -p no:cacheprovider -n "${PYTEST_WORKERS:-2}" --dist worksteal "$@"
rc=$?
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi
exit "$rc"
