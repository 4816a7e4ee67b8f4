"""
Querysets compiled to SQL once, then run with fresh values.

The review page's query carries seven JSON subqueries and three joined
tables; turning that queryset into SQL took Django longer than the database
took to run it, on every request. A PreparedQuery compiles it once per
database and, on each call, puts that call's values (the slug, the current
time) into the compiled parameters. The rows become model instances the usual
way: the queryset it returns is an ordinary one, evaluated by Django.
"""

import copy
import functools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.sql import Query


class PreparedQuery:
    """
    ``build(**values)`` returns the queryset; ``samples`` gives, for each of
    its arguments, the model field its value is compared with and two sample
    values. The queryset is compiled with each set of samples, and the
    parameters that differ are where each call's values go; a value goes
    through the field's ``get_db_prep_value()``, as Django's lookups do.

        pages = PreparedQuery(
            lambda slug: Review.objects.filter(slug=slug),
            slug=(Review._meta.get_field("slug"), "a", "b"),
        )
        pages(slug="heat")  # a QuerySet

    Each value must reach the SQL as the field prepares it: compared with
    exact or range lookups (``=``, ``<=``...), not rewritten by one (a
    ``startswith`` pattern) nor shaping the SQL (an ``__in`` list); the first
    call checks this and raises ValueError. ``build`` must not read anything
    else that changes between calls (such as the current time): pass it in.
    """

    def __init__(self, build, **samples):
        self.build = build
        self.samples = samples
        self.prepared = {}

    def __call__(self, using=DEFAULT_DB_ALIAS, **values):
        if values.keys() != self.samples.keys():
            raise TypeError(f"expected values for {sorted(self.samples)}, got {sorted(values)}")
        if using not in self.prepared:
            self.prepared[using] = self._prepare(using)
        queryset, query, positions = self.prepared[using]
        connection = connections[using]
        params = list(query.compiled_params)
        for name, value in values.items():
            db_value = self.samples[name][0].get_db_prep_value(value, connection)
            for index in positions[name]:
                params[index] = db_value
        run = copy.copy(query)
        run.compiled_params = tuple(params)
        return type(queryset)(model=queryset.model, query=run, using=using)

    def _prepare(self, using):
        first = {name: sample[1] for name, sample in self.samples.items()}
        queryset = self.build(**first).using(using)
        query = queryset.query.chain(CompiledQuery)
        query.compiler_instance = query.compile(using)
        params = query.compiled_params
        positions = {}
        for name in self.samples:
            changed = {**first, name: self.samples[name][2]}
            sql, other = self.build(**changed).using(using).query.get_compiler(using).as_sql()
            if sql != query.compiled_sql:
                raise ValueError(f"{name!r} changes the query's SQL, not only its parameters")
            pairs = enumerate(zip(params, other, strict=True))
            positions[name] = [i for i, (a, b) in pairs if a != b]
            field, sample = self.samples[name][:2]
            expected = field.get_db_prep_value(sample, connections[using])
            if not positions[name] or any(params[i] != expected for i in positions[name]):
                raise ValueError(f"{name!r} does not reach the query's parameters as it is")
        return queryset, query, positions


class CompiledQuery(Query):
    """A Query whose compiler runs SQL compiled earlier with ``compiled_params``."""

    compiler_instance = None
    compiled_sql = None
    compiled_params = ()

    def compile(self, using):
        compiler = _compiler_class(type(super().get_compiler(using)))(
            self, connections[using], using, True
        )
        self.compiled_sql, params = compiler.compile_once()
        self.compiled_params = tuple(params)
        return compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if self.compiler_instance is None:
            return super().get_compiler(using, connection, elide_empty)
        compiler = copy.copy(self.compiler_instance)
        compiler.query = self
        # Each thread has its own connection: run on the caller's, not the preparer's.
        compiler.connection = connection or connections[using]
        return compiler


@functools.cache
def _compiler_class(base):
    class PreparedCompiler(base):
        def compile_once(self):
            return super().as_sql()

        def as_sql(self, with_limits=True, with_col_aliases=False):
            return self.query.compiled_sql, self.query.compiled_params

    PreparedCompiler.__name__ = f"Prepared{base.__name__}"
    return PreparedCompiler
