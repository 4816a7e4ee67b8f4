"""Query expressions that Django's ORM lacks, for PostgreSQL and SQLite alike."""

from django.db.models import Func, JSONField, Subquery, TextField
from django.db.models.functions import Cast, JSONObject


class JSONTextObject(JSONObject):
    """
    A JSONObject that PostgreSQL builds as ``json`` (text) rather than
    ``jsonb``: cheaper to build and to send, for objects only Python reads,
    such as the items of a JSONList. Elsewhere the same as JSONObject.
    """

    def as_postgresql(self, compiler, connection, **extra_context):
        copy = self.copy()
        copy.set_source_expressions(
            [
                Cast(expression, TextField()) if index % 2 == 0 else expression
                for index, expression in enumerate(copy.get_source_expressions())
            ]
        )
        return Func.as_sql(
            copy, compiler, connection, function="JSON_BUILD_OBJECT", **extra_context
        )


class JSONList(Subquery):
    """
    The rows of ``queryset``, a ``values(item=JSONObject(...))`` queryset, as one
    JSON array: a list of related rows brought along in a column of the outer
    query instead of by a query of its own. The order of the items is not
    defined; sort them in Python.

    Its SQL is compiled once per database and kept: compiling the JSON objects
    cost more than running the query. So ``queryset`` must not hold values
    that change from one run to the next, such as the current time. On
    PostgreSQL the kept SQL carries its values as literals (the JSON keys,
    mostly): the page's query then sends a handful of parameters, not seventy.
    """

    # Text JSON, read back by JSONField like any JSON column.
    template = "(SELECT COALESCE(JSON_AGG(items.item), '[]')::text FROM (%(subquery)s) AS items)"
    output_field = JSONField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset, **extra)
        self.compiled = {}

    @classmethod
    def of(cls, queryset, **fields):
        """The rows of ``queryset`` as JSON objects of ``fields`` (name=lookup or expression)."""
        return cls(queryset.order_by().values(item=JSONTextObject(**fields)))

    def copy(self):
        # A copy may be relabelled to fit another query: it compiles afresh.
        clone = super().copy()
        clone.compiled = {}
        return clone

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if extra_context:
            return super().as_sql(compiler, connection, template, **extra_context)
        key = (connection.alias, template)
        if key not in self.compiled:
            sql, params = super().as_sql(compiler, connection, template)
            if connection.vendor == "postgresql" and params:
                # Quoted by psycopg; "%" doubled, as the outer query has parameters.
                sql, params = connection.ops.compose_sql(sql, params).replace("%", "%%"), ()
            self.compiled[key] = sql, tuple(params)
        return self.compiled[key]

    def as_sqlite(self, compiler, connection, **extra_context):
        # JSON() keeps each item an object: out of a subquery it is plain text.
        template = (
            "(SELECT COALESCE(JSON_GROUP_ARRAY(JSON(items.item)), '[]') "
            "FROM (%(subquery)s) AS items)"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)
