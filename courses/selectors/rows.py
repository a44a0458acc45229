"""Model instances from rows read with a cursor, for a page's few fixed queries.

Building a query with the ORM (``select_related``, ``defer``, ``order_by``) costs more than
running it: a page of five small queries spent three quarters of its selector's time
compiling them (docs/performance.md, "The dashboard"). A selector that runs the same queries
on every request can write them once as SQL; `Columns` lists a model's columns for it and
turns a row's values back into an instance as the ORM would (the same fields, the same
converters: JSON decoded, SQLite's dates parsed), and `statements` runs several statements in
one round trip where the database allows it (PostgreSQL), one after another elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col

Converter = Callable[[Any, Any, Any], Any]
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Columns(Generic[M]):
    """The concrete fields of ``model`` (less ``defer``) read under the table alias ``alias``."""

    model: type[M]
    alias: str
    fields: tuple[Field, ...]
    _converters: dict[str, tuple[tuple[int, tuple[Converter, ...], Col], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(
        cls,
        model: type[M],
        alias: str,
        *,
        defer: Sequence[str] = (),
        only: Sequence[str] | None = None,
    ) -> Columns[M]:
        """Every concrete field but ``defer``; or only the fields ``only``, in that order."""
        named = {f.name: f for f in model._meta.concrete_fields}
        unknown = (set(defer) | set(only or ())) - set(named)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        if only is not None:
            return cls(model=model, alias=alias, fields=tuple(named[name] for name in only))
        fields = tuple(f for f in model._meta.concrete_fields if f.name not in defer)
        return cls(model=model, alias=alias, fields=fields)

    @property
    def sql(self) -> str:
        """The select list: ``alias."column", ...``."""
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def _converters_now(self) -> tuple[tuple[int, tuple[Converter, ...], Col], ...]:
        """Per field that needs it: its position and the backend's and the field's converters
        (what the ORM's compiler applies), for this connection's database."""
        found = self._converters.get(connection.vendor)
        if found is None:
            listed = []
            for position, model_field in enumerate(self.fields):
                column = Col(self.alias, model_field)
                convert = tuple(connection.ops.get_db_converters(column)) + tuple(
                    model_field.get_db_converters(connection)  # type: ignore[attr-defined]
                )
                if convert:
                    listed.append((position, convert, column))
            found = self._converters[connection.vendor] = tuple(listed)
        return found

    def values(self, values: Sequence[Any]) -> list[Any]:
        """This model's values of a row (in the order of ``sql``) as the ORM gives them."""
        return self.values_of([values])[0]

    def values_of(self, rows: Sequence[Sequence[Any]], start: int = 0) -> list[list[Any]]:
        """:meth:`values` of many rows, where this model's values begin at ``start``."""
        convert = self._converters_now()
        end = start + len(self.fields)
        found = []
        for row in rows:
            values = list(row[start:end])
            for position, converters, column in convert:
                for converter in converters:
                    values[position] = converter(values[position], column, connection)
            found.append(values)
        return found

    def build(self, values: Sequence[Any]) -> M:
        """An instance from this model's values of a row. (With ``only``, the fields must be
        named in the model's order.)"""
        names = [f.attname for f in self.fields]
        return self.model.from_db(connection.alias, names, self.values(values))


def statements(sql: Sequence[str], params: Sequence[Sequence[Any]]) -> list[list[tuple]]:
    """The rows of each statement: one round trip on PostgreSQL (psycopg's client-side
    binding sends them together), one statement at a time elsewhere."""
    results: list[list[tuple]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("; ".join(sql), [value for group in params for value in group])
            results.append(cursor.fetchall())
            while cursor.nextset():
                results.append(cursor.fetchall())
        else:
            for statement, values in zip(sql, params, strict=True):
                cursor.execute(statement, values)
                results.append(cursor.fetchall())
    return results
