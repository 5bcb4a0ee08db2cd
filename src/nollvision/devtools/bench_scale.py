"""`make bench-scale`: key pages and API routes on a generated county or national data set.

    python -m nollvision.devtools.bench_scale --scale national [--database-url URL] [--rounds 20]
        [--pages "indicators page,plan's figures page"] [--reuse]

Without --database-url a throw-away SQLite file is used. Prints JSON (`--json FILE` also writes
it to a file); `--markdown FILE` appends a table for docs/benchmarks.md. `--pages` measures only
the routes whose names are given (no report builds, no import throughput); `--reuse` keeps a
data set generated earlier in the same database (a file named in --database-url) instead of
generating it again. Server time is measured in-process through Django's test client
(the whole middleware stack, no network), without the page cache, so the numbers are the worst
case a visitor or coordinator meets."""

import argparse
import io
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nollvision.devtools.bench import _percentile

TARGET_P95_MS = 200


def _server(url: str) -> tuple[str, dict]:
    """(database name, connection arguments for the server's `postgres` database) of a URL."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    # The host as written: a name, an address, or a socket folder written with %2F for "/".
    host = parsed.netloc.rsplit("@", 1)[-1]
    if parsed.port:
        host = host.rsplit(":", 1)[0]
    return parsed.path.lstrip("/"), {
        "dbname": "postgres",
        "autocommit": True,
        "host": unquote(host),
        "port": parsed.port or 5432,
        "user": unquote(parsed.username or ""),
        "password": unquote(parsed.password or "") or None,
    }


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if the server does not have it yet."""
    if not url.startswith("postgres"):
        return
    import psycopg

    name, server = _server(url)
    with psycopg.connect(**server) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def clone_database(template_url: str, url: str) -> None:
    """Create the PostgreSQL database named in `url` as a copy of the one in `template_url`
    (which nobody may be connected to)."""
    import psycopg

    template, server = _server(template_url)
    name, _server_again = _server(url)
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def drop_database(url: str) -> None:
    """Drop the PostgreSQL database named in `url` (a drill's throw-away database)."""
    import psycopg

    name, server = _server(url)
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(
    scale: str,
    database_url: str | None,
    rounds: int,
    pages_wanted: list[str] | None = None,
    reuse: bool = False,
) -> dict:
    if database_url is not None:
        ensure_database(database_url)
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="nollvision-bench-")
        database_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nollvision.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from nollvision.accounts.models import Membership, Organisation, Role, User
    from nollvision.devtools.generate import LAST_YEAR, generate
    from nollvision.followup.models import Campaign

    call_command("migrate", verbosity=0)
    reused = reuse and Organisation.objects.filter(slug__startswith="gen-").exists()
    begin = time.perf_counter()
    if not reused:
        call_command("import_plan", verbosity=0, stdout=io.StringIO())
    plan_import_s = time.perf_counter() - begin
    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    start = time.perf_counter()
    generated = generate(scale=scale) if not reused else None
    generation_s = time.perf_counter() - start
    coordinator, _new = User.objects.get_or_create(username="bench-coordinator")
    Membership.objects.get_or_create(
        user=coordinator,
        organisation=Organisation.objects.get(slug="gen-01-lansstyrelsen"),
        role=Role.COORDINATOR,
    )
    campaign = Campaign.objects.get(plan__slug="gen-01-2022-2026", year=LAST_YEAR - 1)
    public = Client(HTTP_HOST="127.0.0.1")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(coordinator)
    plan = "/planer/gen-01-2022-2026/v1/"
    routes = [
        ("plan page", public, plan),
        ("public goal page", public, plan + "mal/2/"),
        ("public body page", public, plan + "organisationer/gen-0114/"),
        ("measure page", public, plan + "atgarder/2.1/"),
        ("easy-read page", public, "/planer/gen-01-2022-2026/lattlast/"),
        ("indicators page", public, "/planer/gen-01-2022-2026/indikatorer/"),
        ("plan's figures page", public, "/planer/gen-01-2022-2026/siffror/"),
        ("guide page", public, "/planer/gen-01-2022-2026/vad-gor-jag/"),
        ("support page", public, "/stod/0114/"),
        ("API plans", public, "/api/v1/plans/"),
        ("API plan", public, "/api/v1/plans/gen-01-2022-2026/"),
        ("API organisations", public, "/api/v1/organisations/"),
        ("API follow-ups", public, "/api/v1/plans/gen-01-2022-2026/followups/"),
        ("API support services", public, "/api/v1/support-services/"),
        ("coordinator overview", staff, f"/arbete/uppfoljningar/{campaign.pk}/"),
        ("dashboard", staff, f"/arbete/uppfoljningar/{campaign.pk}/resultat/"),
        ("report HTML", staff, f"/arbete/uppfoljningar/{campaign.pk}/rapport/utkast.html"),
    ]
    if pages_wanted:
        unknown = set(pages_wanted) - {name for name, _client, _path in routes}
        if unknown:
            raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")
        routes = [route for route in routes if route[0] in pages_wanted]
    pages = {}
    with override_settings(NOLLVISION_PUBLIC_CACHE_SECONDS=0):
        for name, client, path in routes:
            client.get(path)  # warm up: templates, catalogues, connections
            timings, cpu = [], []
            for _round in range(rounds):
                begin, begin_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                timings.append((time.perf_counter() - begin) * 1000)
                cpu.append((time.process_time() - begin_cpu) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path} answered {response.status_code}")
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            pages[name] = {
                "path": path,
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(_percentile(timings, 0.95), 1),
                # This process's CPU time (SQLite runs inside it; PostgreSQL's work is not
                # counted): on a shared machine, what the page costs without waiting its turn.
                "cpu_median_ms": round(statistics.median(cpu), 1),
                "cpu_p95_ms": round(_percentile(cpu, 0.95), 1),
                "load_average": round(os.getloadavg()[0], 1),
                "queries": len(queries),
            }
        from nollvision.core.pdf import forget

        builds = {}
        for fmt in () if pages_wanted else ("pdf", "bilaga.pdf", "docx", "xlsx"):
            timings = []
            for _round in range(3):
                forget()  # each round lays out again: the process keeps what it laid out
                begin = time.perf_counter()
                response = staff.get(f"/arbete/uppfoljningar/{campaign.pk}/rapport/utkast.{fmt}")
                timings.append(time.perf_counter() - begin)
                if response.status_code != 200:
                    raise SystemExit(f"the {fmt} report answered {response.status_code}")
            builds[fmt] = {
                "median": round(statistics.median(timings), 2),
                "max": round(max(timings), 2),
            }
    from nollvision.indicators.models import IndicatorValue
    from nollvision.plans.models import Measure

    measures = Measure.objects.filter(plan__slug="vasternorrland-2022-2026").count()
    if generated is None:  # reused: what the database holds
        generated = type("Held", (), {})()
        generated.indicator_values = IndicatorValue.objects.count()
    return {
        "scale": scale,
        "database": connection.vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "generated": generated.__dict__,
        "generation_s": round(generation_s),
        "pages": pages,
        "report_build_s": builds,
        "plan_import": {"measures": measures, "seconds": round(plan_import_s, 2)},
        "indicator_import": None if pages_wanted else indicator_import_throughput(),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def indicator_import_throughput(areas_wanted: int | None = None, years: int = 20) -> dict:
    """Rows per second of the CSV importer: one indicator for every area (or the first
    `areas_wanted`), `years` years, 3 sexes, each row with its source, imported into an empty
    indicator, again unchanged, and again with every value changed."""
    from nollvision.indicators.csv_import import COLUMNS, csv_import
    from nollvision.indicators.models import Area, Indicator, IndicatorValue

    indicator = Indicator.objects.filter(development=False).order_by("code").first()
    IndicatorValue.objects.filter(indicator=indicator).delete()
    areas = list(Area.objects.order_by("code").values_list("code", flat=True)[:areas_wanted])
    source = "https://www.kolada.se/,Bench source,,2024-05-02,,"

    def content(shift: int) -> bytes:
        lines = [",".join(COLUMNS)]
        for number, area in enumerate(areas):
            for year in range(2025 - years, 2025):
                for sex in ("T", "K", "M"):
                    value = f"{number % 97 + shift}.5"
                    lines.append(f"{indicator.code},{area},{year},{sex},{value},,,{source}")
        return ("\n".join(lines) + "\n").encode()

    result = {"rows": len(areas) * years * 3}
    for name, data in (("new", content(0)), ("unchanged", content(0)), ("changed", content(1))):
        begin = time.perf_counter()
        summary = csv_import(content=data, source="bench")
        result[name] = {"created": summary.created, "updated": summary.updated}
        result[f"{name}_rows_per_s"] = round(result["rows"] / (time.perf_counter() - begin))
    return result


def markdown(result: dict) -> str:
    lines = [
        f"### {result['scale']} scale on {result['database']} ({result['date']})",
        "",
        f"Machine: {result['machine']}. Data: {result['generated']['organisations']} organisations, "
        f"{result['generated']['plans']} plans, {result['generated']['campaigns']} follow-ups, "
        f"{result['generated']['answers']} answers, {result['generated']['indicator_values']} "
        f"indicator values; generated in {result['generation_s']} s. Peak memory of the process "
        f"{result['peak_memory_mb']} MB (one process that served every page and built every "
        "report).",
        "",
        "Report builds (median of 3, through the coordinator's download links): "
        + ", ".join(f"{fmt} {t['median']} s" for fmt, t in result["report_build_s"].items())
        + f". Plan import: {result['plan_import']['measures']} measures in "
        f"{result['plan_import']['seconds']} s. Indicator CSV import "
        f"({result['indicator_import']['rows']} rows): "
        f"{result['indicator_import']['new_rows_per_s']} rows/s new, "
        f"{result['indicator_import']['unchanged_rows_per_s']} rows/s unchanged, "
        f"{result['indicator_import']['changed_rows_per_s']} rows/s changed.",
        "",
        "| route | median ms | p95 ms | queries | p95 < 200 ms |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, page in result["pages"].items():
        ok = "yes" if page["p95_ms"] < TARGET_P95_MS else "**no**"
        lines.append(
            f"| {name} (`{page['path']}`) | {page['median_ms']} | {page['p95_ms']} | "
            f"{page['queries']} | {ok} |"
        )
    return "\n".join(lines) + "\n\n"


# Routes that list every county's data by nature (paginated): not one county's page.
NATIONAL_LISTS = {"API plans", "API organisations", "API support services"}
COUNTY_TARGET = 1.5  # a county's page at national scale: at most this many times its county time


def comparison(county: dict, national: dict) -> str:
    """One county's pages at national scale beside the same pages at county scale."""
    lines = [
        f"### One county's pages: national beside county scale on {national['database']} "
        f"({national['date']})",
        "",
        f"| route | county ms | national ms | national / county | within {COUNTY_TARGET}× |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, page in national["pages"].items():
        if name not in county["pages"]:
            continue
        before, after = county["pages"][name]["median_ms"], page["median_ms"]
        ratio = after / before if before else 0
        verdict = (
            "national list"
            if name in NATIONAL_LISTS
            else ("yes" if ratio <= COUNTY_TARGET else "**no**")
        )
        lines.append(f"| {name} | {before} | {after} | {ratio:.2f} | {verdict} |")
    return "\n".join(lines) + "\n\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["county", "national"], default="county")
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--markdown", help="append a table to this file")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--pages", help="only these routes, by name, comma-separated")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a data set generated earlier in the database"
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("COUNTY_JSON", "NATIONAL_JSON"),
        help="only compare two earlier results (county and national scale) into --markdown",
    )
    args = parser.parse_args()
    if args.compare:
        county, national = (json.loads(Path(p).read_text("utf-8")) for p in args.compare)
        table = comparison(county, national)
        sys.stdout.write(table)
        if args.markdown:
            with open(args.markdown, "a", encoding="utf-8") as file:
                file.write(table)
        return
    pages = [name.strip() for name in args.pages.split(",")] if args.pages else None
    if pages and args.markdown:
        parser.error("--markdown writes the whole table: leave out --pages")
    result = run(args.scale, args.database_url, args.rounds, pages, args.reuse)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as file:
            file.write(markdown(result))


if __name__ == "__main__":
    main()
