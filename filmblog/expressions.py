"""Query expressions that Django's ORM lacks, for PostgreSQL and SQLite alike."""

from django.db.models import JSONField, Subquery


class JSONList(Subquery):
    """
    The rows of ``queryset``, a ``values(item=JSONObject(...))`` queryset, as one
    JSON array: a list of related rows brought along in a column of the outer
    query instead of by a query of its own. The order of the items is not
    defined; sort them in Python.
    """

    template = "(SELECT COALESCE(JSONB_AGG(items.item), '[]') FROM (%(subquery)s) AS items)"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # JSON() keeps each item an object: out of a subquery it is plain text.
        template = (
            "(SELECT COALESCE(JSON_GROUP_ARRAY(JSON(items.item)), '[]') "
            "FROM (%(subquery)s) AS items)"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)
