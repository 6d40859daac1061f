"""SQLAlchemy 1.4's ORM on bench_orm's work: prints "load flush flush_gen"
in microseconds per object (best of the repeats).

    python3 bench/sqla_orm.py URL ROWS REPEAT
"""
import sys
import time

from sqlalchemy import Column, Float, Integer, String, create_engine, event
from sqlalchemy.orm import Session, declarative_base

url, rows, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
wal = "journal_mode=wal" in url
url = url.split("?")[0]
engine = create_engine(url)
if url.startswith("sqlite") and wal:
    @event.listens_for(engine, "connect")
    def _wal(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA journal_mode=wal")

Base = declarative_base()


class Item(Base):
    __tablename__ = "bench_item"
    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False)
    value = Column(Float)
    qty = Column(Integer)


names = ["name %d" % i for i in range(rows)]


def recreate():
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def flush(keys_given):
    recreate()
    t0 = time.perf_counter()
    with Session(engine) as s:
        s.add_all([Item(id=(i + 1) if keys_given else None, name=names[i], value=i * 0.25, qty=i % 997)
                   for i in range(rows)])
        s.commit()
    return (time.perf_counter() - t0) * 1e6 / rows


def load():
    t0 = time.perf_counter()
    with Session(engine) as s:
        items = s.query(Item).all()
        assert len(items) == rows
    return (time.perf_counter() - t0) * 1e6 / rows


best = [None, None, None]
for _ in range(repeat):
    f = flush(True)
    g = flush(False)
    l = load()
    for i, v in enumerate((l, f, g)):
        best[i] = v if best[i] is None else min(best[i], v)
Base.metadata.drop_all(engine)
print("%.3f %.3f %.3f" % tuple(best))
