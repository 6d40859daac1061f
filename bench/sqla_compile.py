#!/usr/bin/python3
"""Time SQLAlchemy Core compiling the statement bench_compile.c compiles:
a two-table join with a WHERE of OR/IN/LIKE, GROUP BY, HAVING count,
ORDER BY and LIMIT, for sqlite, postgresql and mssql.  Prints one line per
dialect: "<dialect> <µs per uncached compile> <µs per build>"."""
import sys
import time
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite, postgresql, mssql

md = sa.MetaData()
user = sa.Table("user", md, sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(50)), sa.Column("fullname", sa.String))
address = sa.Table("address", md, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("user_id", sa.ForeignKey("user.id")), sa.Column("email", sa.String))


def build():
    return (sa.select(user.c.name, sa.func.count(address.c.id))
            .select_from(user.join(address))
            .where(sa.or_(user.c.id.in_([1, 2, 3]), user.c.name.like("a%")))
            .group_by(user.c.name)
            .having(sa.func.count(address.c.id) > 1)
            .order_by(user.c.name.desc())
            .limit(10))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for name, d in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect()),
                    ("mssql", mssql.dialect())):
        stmt = build()
        stmt.compile(dialect=d)
        # Statement.compile() never uses SQLAlchemy's compiled cache (only
        # execution does), so each call is an uncached compile.
        t0 = time.perf_counter()
        for _ in range(n):
            str(stmt.compile(dialect=d))
        t = (time.perf_counter() - t0) / n * 1e6
        t0 = time.perf_counter()
        for _ in range(n):
            build()
        b = (time.perf_counter() - t0) / n * 1e6
        print("%s %.2f %.2f" % (name, t, b))


if __name__ == "__main__":
    main()
