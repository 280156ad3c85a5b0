"""ORM queries compiled to SQL once per thread, then run with new parameters.

Django compiles a queryset to SQL each time it is evaluated, which for the two small queries of
every match request (the token, and the change log since the last change applied) cost more
CPU than the database spent answering them. The query is still written with the ORM, once;
its rows still pass through the ORM's converters (JSON, dates), so they come back as the ORM
would return them.
"""

import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


class CompiledQuery:
    """`build(*parameters)` as SQL compiled on first use in each thread.

    `build` must use each parameter as a plain value of a filter, so that it reaches the SQL as
    a query parameter (never in a LIMIT or a table name). It is compiled with `stand_ins`,
    distinct values of the parameters' types, and checked to have taken each as a parameter.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *stand_ins: object) -> None:
        self._build = build
        self._stand_ins = list(stand_ins)
        self._compiled = threading.local()

    def rows(self, *parameters: Any) -> Iterator[Any]:
        """The rows of a `values_list` queryset for these parameters, converted as the ORM
        converts them (JSON decoded, dates aware)."""
        compiler, sql, positions = self._compiled_here()
        with compiler.connection.cursor() as cursor:
            cursor.execute(sql, [parameters[position] for position in positions])
            raw = cursor.fetchall()
        return compiler.results_iter(results=[raw])

    def _compiled_here(self) -> tuple[SQLCompiler, str, list[int]]:
        compiled: tuple[SQLCompiler, str, list[int]] | None = getattr(self._compiled, "query", None)
        connection = connections[DEFAULT_DB_ALIAS]
        if compiled is None or compiled[0].connection is not connection:
            stand_ins = self._stand_ins
            compiler = self._build(*stand_ins).query.get_compiler(connection=connection)
            sql, values = compiler.as_sql()
            if len(values) != len(stand_ins) or any(value not in stand_ins for value in values):
                raise ValueError(f"every parameter must be a query parameter once: {values}")
            compiled = (compiler, sql, [stand_ins.index(value) for value in values])
            self._compiled.query = compiled
        return compiled
