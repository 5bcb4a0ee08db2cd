"""A small client for Kolada's API (v3), written against its documented formats.

- data by path: /data/kpi/{ids}/municipality/{ids}/year/{years}, at most 25 ids per segment;
- paging: follows `next_url` (v3) or `next_page` (v2) until there is none;
- retries 429 and 5xx with back-off (honouring Retry-After), with a timeout on every call;
- `period` may be a number or a string; `value` may be null; `isdeleted`/`is_deleted` flags.
"""

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from nollvision.core.parsing import whole_number

if TYPE_CHECKING:
    import httpx  # at run time loaded on use: it costs a tenth of a second at start-up

BATCH = 25
PER_PAGE = 5000
RETRIES = 4


class KoladaError(Exception):
    """Kolada could not be read; the message says why. Nothing has been imported."""


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    area: str
    period: int
    sex: str
    value: Decimal | None
    status: str
    deleted: bool


def batches(items: list[str], size: int = BATCH) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def parse_page(payload: object, where: str) -> tuple[list[KoladaValue], str | None]:
    """The values of one response page and the address of the next, if any."""
    if not isinstance(payload, dict) or not isinstance(payload.get("values"), list):
        raise KoladaError(f"{where}: the response has no list of values")
    values = []
    for index, item in enumerate(payload["values"]):
        try:
            kpi, area, period = item["kpi"], str(item["municipality"]), int(item["period"])
            entries = item["values"]
        except (KeyError, TypeError, ValueError):
            raise KoladaError(f"{where}: value {index} is not in Kolada's format") from None
        for entry in entries:
            raw = entry.get("value")
            try:
                number = None if raw is None else Decimal(str(raw))
            except InvalidOperation:
                raise KoladaError(f"{where}: value {index} is not a number: {raw!r}") from None
            values.append(
                KoladaValue(
                    kpi=kpi,
                    area=area,
                    period=period,
                    sex=entry.get("gender", "T"),
                    value=number,
                    status=entry.get("status") or "",
                    deleted=bool(entry.get("isdeleted", entry.get("is_deleted", False))),
                )
            )
    return values, payload.get("next_url") or payload.get("next_page")


class KoladaClient:
    def __init__(
        self,
        base_url: str,
        *,
        client: "httpx.Client | None" = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        import httpx

        self.base_url = base_url.rstrip("/")
        self.http = client or httpx.Client(timeout=timeout)
        self.sleep = sleep

    def _get(self, url: str, params: dict | None = None) -> object:
        import httpx

        for attempt in range(RETRIES + 1):
            try:
                response = self.http.get(url, params=params)
            except httpx.TimeoutException:
                raise KoladaError(f"{url}: Kolada did not answer in time") from None
            except httpx.HTTPError as error:
                raise KoladaError(f"{url}: Kolada could not be reached ({error})") from None
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == RETRIES:
                    raise KoladaError(
                        f"{url}: Kolada answered {response.status_code} {RETRIES + 1} times"
                    )
                retry_after = response.headers.get("Retry-After", "")
                wait = whole_number(retry_after)
                self.sleep(float(min(wait, 60)) if wait is not None else 2.0**attempt)
                continue
            if response.status_code != 200:
                raise KoladaError(f"{url}: Kolada answered {response.status_code}")
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise KoladaError(f"{url}: the response is not valid JSON") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def values(
        self, kpis: Iterable[str], areas: Iterable[str], years: Iterable[int]
    ) -> list[KoladaValue]:
        """Every value for the KPIs, areas and years, in batches of 25 ids, across all pages."""
        result = []
        year_list = [str(year) for year in years]
        for kpi_batch in batches(sorted(set(kpis))):
            for area_batch in batches(sorted(set(areas))):
                for year_batch in batches(year_list):
                    url = (
                        f"{self.base_url}/data/kpi/{','.join(kpi_batch)}/municipality/"
                        f"{','.join(area_batch)}/year/{','.join(year_batch)}"
                    )
                    params: dict | None = {"per_page": PER_PAGE}
                    while url:
                        page, url = parse_page(self._get(url, params), url)
                        result.extend(page)
                        params = None  # the next address carries its own parameters
        return result


def values_from_file(content: bytes, name: str) -> list[KoladaValue]:
    """Values from saved responses: one response object, or a list of them (one per page)."""
    try:
        payload = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise KoladaError(f"{name}: not valid JSON ({error})") from None
    pages = payload if isinstance(payload, list) else [payload]
    result = []
    for number, page in enumerate(pages, start=1):
        values, _next = parse_page(page, f"{name} page {number}")
        result.extend(values)
    return result
