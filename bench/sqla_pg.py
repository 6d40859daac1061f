#!/usr/bin/python3
"""SQLAlchemy Core + psycopg2 on the work of bench_pg.c (run by it; not a test).

    sqla_pg.py URL ROWS LOOKUPS REPEAT

Inserts ROWS rows in one transaction (conn.execute(table.insert(), list of
dicts): an executemany, with psycopg2's default executemany mode), scans
them reading every column, and runs LOOKUPS primary-key lookups through a
select with a bindparam.  Prints "insert|scan|lookup <microseconds per
row>", best of REPEAT runs.  Same data and lookup ids as the C benchmark.
"""
import sys
import time

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, bindparam, create_engine, select

NOTES = ["scored twice in the derby", "left footed, quick on the break", "injured in March",
         "captain since 2009", "on loan from Atlético Madrid", "N'Golo's understudy",
         "free kick specialist", ""]


def lookup_ids(nrows, nlook):
    x, out, mask = 42, [], (1 << 64) - 1
    for _ in range(nlook):
        x = (x * 6364136223846793005 + 1442695040888963407) & mask
        out.append(((x >> 33) % nrows) + 1)
    return out


def main():
    url, nrows, nlook, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://"):]
    engine = create_engine(url)
    md = MetaData()
    bench = Table("bench", md, Column("id", Integer, primary_key=True, autoincrement=False),
                  Column("name", Text, nullable=False), Column("value", Float), Column("qty", Integer),
                  Column("note", Text))
    rows = [{"id": i + 1, "name": "player-%07d" % (i + 1), "value": i * 0.25, "qty": i % 997,
             "note": NOTES[i % 8]} for i in range(nrows)]
    ids = lookup_ids(nrows, nlook)
    best = {"insert": None, "scan": None, "lookup": None}

    def keep(key, t):
        if best[key] is None or t < best[key]:
            best[key] = t

    lookup = select(bench).where(bench.c.id == bindparam("id"))
    for _ in range(repeat):
        md.drop_all(engine)
        md.create_all(engine)
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(bench.insert(), rows)
        keep("insert", time.perf_counter() - t0)

        with engine.connect() as conn:
            t0 = time.perf_counter()
            check = 0
            for r in conn.execute(select(bench)):
                check += r[0] + len(r[1]) + r[3] + len(r[4])
                check += r[2]
            keep("scan", time.perf_counter() - t0)

            t0 = time.perf_counter()
            for i in ids:
                r = conn.execute(lookup, {"id": i}).first()
                check += r[0] + len(r[1]) + r[3] + len(r[4])
                check += r[2]
            keep("lookup", time.perf_counter() - t0)
    md.drop_all(engine)

    print("insert %.3f" % (best["insert"] * 1e6 / nrows))
    print("scan %.3f" % (best["scan"] * 1e6 / nrows))
    print("lookup %.3f" % (best["lookup"] * 1e6 / nlook))


if __name__ == "__main__":
    main()
