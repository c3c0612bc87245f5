"""Price books: the schema, loading with located errors, and layered look-up.

A price book is a YAML file (see pricing/README.md). Every price entry names a
cost ``component`` (circuit_port, er_gateway, ...), the dimensions it applies
to (tier, plan, bandwidth, zone, sku, region, ...; an absent dimension means
"any"), the price with its unit, and where the number comes from: source,
as_of and confidence (verified | estimate | quote; an estimate says how it was
derived). A book may also list known gaps under ``unpriced`` with the reason,
which the report shows on the lines it cannot price.

Books are layered: the packaged books first (for each ``book`` id only the
newest ``as_of``), then every ``--pricing FILE`` in order. A look-up takes the
most specific matching entry; on a tie the later layer wins.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, Optional

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from typing_extensions import Annotated

from ..errors import InputError, InputErrors, Loc, did_you_mean
from ..facts import norm
from ..validation import LocMap, located_validation_errors, nearest_loc
from .cache import default_book_path
from .components import CIRCUIT_PORT, COMPONENTS
from .money import dec
from .zones import zone_name

# component -> units it may be priced in, and the dimensions an entry must state
DIMENSIONS = ("tier", "plan", "bandwidth", "zone", "direct", "port_bandwidth", "sku", "region", "scope",
              "direction", "provider_kind")
Confidence = Literal["verified", "estimate", "quote"]
Unit = Literal["hour", "month", "GB", "one-time"]


# --------------------------------------------------------------------------- dimension normalizers

def _canon(*values: str):
    table = {norm(v): v for v in values}

    def fix(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and norm(value) in table:
            return table[norm(value)]
        raise PydanticCustomError("dimension", "'{value}' is not one of {allowed}",
                                  {"value": value, "allowed": ", ".join(values)})

    return BeforeValidator(fix)


def _plan(value: Any) -> Any:
    if value is None:
        return None
    aliases = {"metered": "MeteredData", "metereddata": "MeteredData",
               "unlimited": "UnlimitedData", "unlimiteddata": "UnlimitedData"}
    if isinstance(value, str) and norm(value) in aliases:
        return aliases[norm(value)]
    raise PydanticCustomError("dimension", "'{value}' is not a data plan (MeteredData or UnlimitedData)",
                              {"value": value})


def _zone(value: Any) -> Any:
    return zone_name(value)


def _bandwidth(value: Any) -> Any:
    if value is None:
        return None
    from ..model import parse_bandwidth

    return parse_bandwidth(value)


# Sanity bounds on a price, a typo guard and NOT an Azure fact: no fee in any currency reaches a
# trillion, and no meter a price book prices (ports, gateways, data per GB) is below a millionth
# of a currency unit. They also keep every product and break-even volume within ordinary Decimal
# arithmetic (a 1e-300 rate would put the break-even at 1e312 GB).
MAX_PRICE = Decimal("1e12")
MIN_NONZERO_PRICE = Decimal("0.000001")


def price_problem(value: Decimal) -> Optional[str]:
    """Why a price is not sane ('' -> None when it is): not finite, negative, or out of bounds."""
    if not value.is_finite():
        return f"{value} is not a finite number"
    if value < 0:
        return f"{value} must be >= 0"
    if value > MAX_PRICE:
        return f"{value} must be <= {MAX_PRICE:f} (a sanity bound)"
    if 0 < value < MIN_NONZERO_PRICE:
        return f"{value} must be 0 or >= {MIN_NONZERO_PRICE:f} (a sanity bound)"
    return None


def _price(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PydanticCustomError("price", "expected a number, got '{value}'", {"value": value})
    try:
        amount = dec(value)
    except Exception:
        raise PydanticCustomError("price", "expected a number, got '{value}'", {"value": value}) from None
    problem = price_problem(amount)
    if problem:
        raise PydanticCustomError("price", problem)
    return amount


Price = Annotated[Decimal, BeforeValidator(_price)]


class _Dims(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: Annotated[Optional[str], _canon("Local", "Standard", "Premium")] = None
    plan: Annotated[Optional[str], BeforeValidator(_plan)] = None
    bandwidth: Annotated[Optional[int], BeforeValidator(_bandwidth)] = Field(default=None, description="Mbps")
    zone: Annotated[Optional[str], BeforeValidator(_zone)] = None
    direct: Optional[bool] = Field(default=None, description="true: a circuit on an ExpressRoute Direct port pair")
    port_bandwidth: Annotated[Optional[int], BeforeValidator(_bandwidth)] = None
    sku: Optional[str] = None
    region: Optional[str] = None
    scope: Annotated[Optional[str], _canon("intra_region", "global")] = None
    direction: Annotated[Optional[str], _canon("ingress", "egress")] = None
    provider_kind: Annotated[Optional[str], _canon("cloud_exchange", "carrier", "direct")] = None
    component: Literal[tuple(COMPONENTS)]  # type: ignore[valid-type]

    def dims(self) -> dict[str, Any]:
        return {d: getattr(self, d) for d in DIMENSIONS if getattr(self, d) is not None}

    def matches(self, request: dict[str, Any]) -> bool:
        for dim, value in self.dims().items():
            asked = request.get(dim)
            if asked is None:
                return False
            if isinstance(value, str):
                if norm(str(asked)) != norm(value):
                    return False
            elif asked != value:
                return False
        return True

    @property
    def specificity(self) -> int:
        return len(self.dims())


class PriceEntry(_Dims):
    price: Price
    unit: Unit
    currency: Optional[str] = None
    source: str = Field(min_length=1, description="A source id of this book, or a citation")
    as_of: Optional[_dt.date] = Field(default=None, description="Defaults to the book's as_of")
    confidence: Confidence
    derivation: Optional[str] = Field(default=None, description="How an estimate was derived (required for estimates)")
    range: Optional[list[Price]] = Field(default=None, min_length=2, max_length=2, description="[low, high] of an estimate")
    note: Optional[str] = None
    meter: Optional[dict[str, Any]] = Field(default=None, description="The Retail Prices API meter this came from")

    @model_validator(mode="after")
    def _consistent(self):
        spec = COMPONENTS[self.component]
        missing = [d for d in spec.required if getattr(self, d) is None]
        if self.component == CIRCUIT_PORT.key and not self.direct:
            missing += [d for d in ("plan", "bandwidth", "zone") if getattr(self, d) is None]
        if missing:
            raise PydanticCustomError("entry", "a price for {component} needs {missing}",
                                      {"component": self.component, "missing": ", ".join(missing)})
        if self.unit not in spec.units:
            raise PydanticCustomError("entry", "a price for {component} is per {units}, not per {unit}",
                                      {"component": self.component, "units": " or ".join(spec.units),
                                       "unit": self.unit})
        if self.confidence == "estimate" and not (self.derivation or "").strip():
            raise PydanticCustomError("entry", "an estimate needs a derivation: say how the number was obtained")
        if self.range and self.range[0] > self.range[1]:
            raise PydanticCustomError("entry", "range is [low, high]; low is above high")
        return self

    def key(self) -> tuple:
        return (self.component, self.unit) + tuple(
            norm(v) if isinstance(v, str) else v for v in (getattr(self, d) for d in DIMENSIONS))


class Gap(_Dims):
    """A documented hole: no defensible price exists; the reason is shown on the unpriced line."""

    unit: Optional[Unit] = None
    reason: str = Field(min_length=1)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    url: Optional[str] = None
    repo: Optional[str] = None
    path: Optional[str] = None
    commit: Optional[str] = None
    as_of: Optional[_dt.date] = None
    note: Optional[str] = None

    def describe(self) -> str:
        parts = [self.title]
        if self.repo:
            where = f"GitHub {self.repo}"
            if self.path:
                where += f" {self.path}"
            if self.commit:
                where += f" @ {self.commit[:12]}"
            parts.append(where)
        if self.url:
            parts.append(self.url)
        if self.as_of:
            parts.append(f"as of {self.as_of.isoformat()}")
        return "; ".join(parts)


class PriceBook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    book: Optional[str] = Field(default=None, description="Book id; defaults to the file name without date")
    title: str = Field(min_length=1)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    as_of: _dt.date
    illustrative: bool = Field(default=False, description="Typical figures for illustration, not list prices")
    hours_per_month: Optional[int] = Field(default=None, ge=1, le=744)
    hours_per_month_source: Optional[str] = None
    notes: Optional[str] = None
    fetched_at: Optional[str] = Field(default=None, description="When `erdesign pricing fetch` read the API (UTC)")
    fetched_from: Optional[str] = Field(default=None, description="The Retail Prices API URL (or mirror) read")
    sources: list[Source] = Field(default_factory=list)
    prices: list[PriceEntry] = Field(default_factory=list)
    unpriced: list[Gap] = Field(default_factory=list)
    _currency_loc: Optional[Loc] = PrivateAttr(default=None)

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value):
        return value.strip().upper() if isinstance(value, str) else value

    def source(self, source_id: str) -> Optional[Source]:
        return next((s for s in self.sources if s.id == source_id), None)


# --------------------------------------------------------------------------- loading

def parse_book(text: str, file: str, default_id: Optional[str] = None) -> PriceBook:
    """Validate a price book; every problem is an InputError at file:line:col."""
    from ..yamlsource import load_yaml

    data, locs = load_yaml(text, file)
    if not isinstance(data, dict):
        raise InputError("a price book is a mapping with title, currency, as_of, sources and prices",
                         locs.get((), Loc(file, 1, 1)))
    try:
        book = PriceBook.model_validate(data)
    except ValidationError as exc:
        raise located_validation_errors(exc, locs, file, PriceBook, strip=COMPONENTS, root_label="price book",
                                        message=_book_message) from None
    if book.book is None:
        book.book = default_id
    book._currency_loc = locs.get(("currency",))
    _check_book(book, data, locs, file)
    return book


def _check_book(book: PriceBook, data: dict, locs: LocMap, file: str) -> None:
    errors: list[InputError] = []
    ids = [s.id for s in book.sources]
    seen: dict[tuple, int] = {}
    for i, entry in enumerate(book.prices):
        if entry.currency and entry.currency.upper() != book.currency:
            errors.append(InputError(
                f"prices[{i}]: currency {entry.currency} differs from the book's {book.currency}; "
                "one book, one currency", nearest_loc(locs, ("prices", i, "currency"), file)))
        if entry.key() in seen:
            errors.append(InputError(
                f"prices[{i}]: same component and dimensions as prices[{seen[entry.key()]}]; "
                "which one applies would be ambiguous", nearest_loc(locs, ("prices", i), file)))
        seen.setdefault(entry.key(), i)
        raw_source = data["prices"][i].get("source")
        looks_like_id = isinstance(raw_source, str) and " " not in raw_source.strip() and len(raw_source) <= 24
        if looks_like_id and ids and raw_source not in ids and not raw_source.startswith(("http", "quote")):
            errors.append(InputError(
                f"prices[{i}]: source '{raw_source}' is not a source id of this book{did_you_mean(raw_source, ids)}",
                nearest_loc(locs, ("prices", i, "source"), file)))
    InputErrors.raise_if_any(errors)


def _book_message(err: dict) -> str:
    """How a price book words a bad value (unknown and missing keys are worded by the loader)."""
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "literal_error":
        return f"{value!r} is not one of {ctx.get('expected', '')}"
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return f"expected a date like 2026-01-31, got {value!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.items()), ("", ""))
        sign = {"ge": ">=", "le": "<=", "gt": ">", "lt": "<"}.get(bound[0], bound[0])
        return f"{value} must be {sign} {bound[1]}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def read_book_file(path: str) -> PriceBook:
    """A user's price book (--pricing FILE)."""
    import os

    from ..inputgate import read_input_text

    text = read_input_text(path, "price book")
    stem = os.path.splitext(os.path.basename(path))[0]
    return parse_book(text, path, default_id=stem)


def _default_id(filename: str) -> str:
    """'azure-2026-01-31.yaml' -> 'azure'; 'carriers.yaml' -> 'carriers'."""
    stem = filename.rsplit(".", 1)[0]
    parts = stem.split("-")
    while parts and parts[-1].isdecimal():
        parts.pop()
    return "-".join(parts) or stem


@lru_cache(maxsize=1)
def packaged_books() -> tuple[PriceBook, ...]:
    """The books shipped in pricing/: for each book id, only the newest as_of."""
    from ..data import pricing_resources

    newest: dict[str, PriceBook] = {}
    for resource in pricing_resources():
        book = parse_book(resource.read_text(encoding="utf-8"), f"pricing/{resource.name}",
                          default_id=_default_id(resource.name))
        key = book.book or ""
        if key not in newest or book.as_of > newest[key].as_of:
            newest[key] = book
    return tuple(sorted(newest.values(), key=lambda b: b.book or ""))


# --------------------------------------------------------------------------- look-up

@dataclass(frozen=True)
class Quote:
    """A resolved price: the entry's number with everything needed to cite it."""

    amount: Decimal
    unit: str
    currency: str
    confidence: str
    source_id: str
    source_text: str
    as_of: Optional[str]
    book: str
    derivation: Optional[str] = None
    note: Optional[str] = None
    range: Optional[tuple[Decimal, Decimal]] = None
    illustrative: bool = False


@dataclass
class PriceBooks:
    """Layered price books (lowest priority first)."""

    books: list[PriceBook] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. why the fetched book is not used
    files: dict[int, str] = field(default_factory=dict)  # id(book) -> the file it was read from

    @property
    def currency(self) -> str:
        return self.books[0].currency if self.books else "USD"

    @property
    def hours_per_month(self) -> Optional[int]:
        for book in reversed(self.books):
            if book.hours_per_month:
                return book.hours_per_month
        return None

    @property
    def hours_per_month_source(self) -> Optional[str]:
        """The source id (or citation) behind hours_per_month."""
        for book in reversed(self.books):
            if book.hours_per_month:
                return self._cite(book, book.hours_per_month_source or book.title)[0]
        return None

    def add(self, book: PriceBook, file: str = "") -> None:
        if self.books and book.currency != self.currency:
            raise InputError(f"price book currency {book.currency} differs from {self.currency} of the other books; "
                             "erdesign does not convert currencies", book._currency_loc, file=file or book.book)
        self.books.append(book)

    def find(self, component: str, unit: str, **request: Any) -> Optional[Quote]:
        best, best_rank = None, None
        for layer, book in enumerate(self.books):
            for entry in book.prices:
                if entry.component != component or entry.unit != unit or not entry.matches(request):
                    continue
                rank = (entry.specificity, layer)
                if best_rank is None or rank > best_rank:
                    best, best_rank = (book, entry), rank
        if best is None:
            return None
        book, entry = best
        source_id, source_text = self._cite(book, entry.source)
        as_of = entry.as_of or book.as_of
        return Quote(amount=entry.price, unit=entry.unit, currency=book.currency, confidence=entry.confidence,
                     source_id=source_id, source_text=source_text, as_of=as_of.isoformat() if as_of else None,
                     book=book.book or "", derivation=entry.derivation, note=entry.note,
                     range=(entry.range[0], entry.range[1]) if entry.range else None, illustrative=book.illustrative)

    def gap(self, component: str, unit: Optional[str] = None, **request: Any) -> Optional[str]:
        """The documented reason why a component is not priced, if a book gives one."""
        best, best_rank = None, None
        for layer, book in enumerate(self.books):
            for gap in book.unpriced:
                if gap.component != component or (gap.unit and unit and gap.unit != unit):
                    continue
                if not gap.matches(request):
                    continue
                rank = (gap.specificity, layer)
                if best_rank is None or rank > best_rank:
                    best, best_rank = gap, rank
        return best.reason if best else None

    @staticmethod
    def _cite(book: PriceBook, source: str) -> tuple[str, str]:
        found = book.source(source)
        if found:
            return found.id, found.describe()
        return source, source

    def sources_used(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for book in self.books:
            for src in book.sources:
                out.setdefault(src.id, src.describe())
        return out

    def describe(self) -> list[dict[str, Any]]:
        out = []
        for b in self.books:
            entry = {"book": b.book, "title": b.title, "as_of": b.as_of.isoformat(), "illustrative": b.illustrative}
            if b.fetched_at:
                entry.update(fetched_at=b.fetched_at, fetched_from=b.fetched_from, file=self.files.get(id(b)))
            out.append(entry)
        return out


def cached_book():
    """(the fetched book at the default path, why it is not used) - (None, '') when there is none.

    Used only when it is newer than every shipped Azure book it would overlay."""
    path = default_book_path()
    if not os.path.isfile(path):
        return None, ""
    try:
        book = read_book_file(path)
    except (InputError, InputErrors) as exc:
        first = str(exc).splitlines()[0]
        return None, (f"the fetched price book cannot be read ({first}), so it is not used; run `erdesign pricing "
                      f"fetch` again or delete {path}")
    shipped = [b for b in packaged_books() if not b.illustrative]
    newest = max((b.as_of for b in shipped), default=None)
    if newest is not None and book.as_of <= newest:
        return None, (f"the fetched price book {path} (as of {book.as_of}) is not newer than the shipped books "
                      f"(as of {newest}), so it is not used; run `erdesign pricing fetch` again")
    if book.currency != (shipped[0].currency if shipped else book.currency):
        return None, (f"the fetched price book {path} is in {book.currency} and the shipped books in "
                      f"{shipped[0].currency}; pass it with --pricing together with books in {book.currency}")
    return (book, path), ""


def load_books(extra: list[Any] | tuple = (), *, fetched: bool = True) -> PriceBooks:
    """Packaged books, then the book of `erdesign pricing fetch` (when ``fetched`` and it is newer
    than the shipped ones), then overlays (paths or PriceBook objects), in order."""
    books = PriceBooks()
    for book in packaged_books():
        books.add(book)
    if fetched:
        found, why_not = cached_book()
        if found:
            book, path = found
            books.add(book, path)
            books.files[id(book)] = path
        elif why_not:
            books.notices.append(why_not)
    for item in extra or ():
        if isinstance(item, PriceBook):
            books.add(item)
        elif isinstance(item, PriceBooks):
            for b in item.books:
                books.add(b)
        else:
            books.add(read_book_file(str(item)), str(item))
    return books
