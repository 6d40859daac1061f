#!/usr/bin/python3
"""Generate tests/unit_compile_cases.inc: compiler test cases whose expected
SQL comes from SQLAlchemy 1.4 (Debian's python3-sqlalchemy).

Each case is written once, as C source using the libsqlalc API.  The same
text is evaluated here as Python against a small shim that maps every
sqlalc_* call onto SQLAlchemy Core, and compiled for the default, sqlite,
postgresql and mssql dialects.  Run: /usr/bin/python3 tests/unit_compile_gen.py
"""
import os
import sys
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite, postgresql, mssql
from sqlalchemy.dialects.postgresql import insert as pg_insert

md = sa.MetaData()
user = sa.Table("user", md,
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(50)),
                sa.Column("fullname", sa.String))
address = sa.Table("address", md,
                   sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("user_id", sa.ForeignKey("user.id")),
                   sa.Column("email", sa.String))
order = sa.Table("Order", md,
                 sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("address_id", sa.ForeignKey("address.id")),
                 sa.Column("Total", sa.Float),
                 sa.Column("select", sa.Integer))


class Lit:
    def __init__(self, v):
        self.v = v


def L(x):
    """As SQLAlchemy element (a literal on its own becomes literal())."""
    if isinstance(x, Lit):
        return sa.literal(x.v)
    return x


def R(x):
    """As right-hand operand: raw value so SQLAlchemy names it after the column."""
    if isinstance(x, Lit):
        return x.v
    return x


class Star:
    def __init__(self, where):
        self.where = where


class DML:
    def __init__(self, kind, table):
        self.kind, self.table = kind, table
        self.rows, self.returning, self.where = [], [], []
        self.default_values = False
        self.from_select = None
        self.upsert = None

    def clone(self):
        n = DML(self.kind, self.table)
        n.__dict__.update({k: (list(v) if isinstance(v, list) else v) for k, v in self.__dict__.items()})
        return n

    def build(self):
        t = self.table
        if self.kind == 'insert':
            s = pg_insert(t) if self.upsert else sa.insert(t)
            if self.default_values:
                s = s.values({})
            elif self.from_select is not None:
                s = s.from_select(self.from_select[0], self.from_select[1])
            elif len(self.rows) == 1:
                s = s.values(**{k: R(v) for k, v in self.rows[0]})
            elif self.rows:
                s = s.values([{k: R(v) for k, v in r} for r in self.rows])
            if self.upsert:
                mode, idx, sets, where = self.upsert
                if mode == 'nothing':
                    s = s.on_conflict_do_nothing(index_elements=idx or None)
                else:
                    s = s.on_conflict_do_update(index_elements=idx, set_={k: R(v) for k, v in sets},
                                                where=where)
        elif self.kind == 'update':
            s = sa.update(t)
            if self.rows:
                s = s.values(**{k: R(v) for k, v in self.rows[0]})
        else:
            s = sa.delete(t)
        for w in self.where:
            s = s.where(w)
        if self.returning:
            s = s.returning(*self.returning)
        return s


def B(x):
    return x.build() if isinstance(x, DML) else x


SQLALC_JOIN_INNER, SQLALC_JOIN_LEFT, SQLALC_JOIN_RIGHT, SQLALC_JOIN_FULL, SQLALC_JOIN_CROSS = range(5)
SQLALC_FRAME_NONE, SQLALC_FRAME_ROWS, SQLALC_FRAME_RANGE = range(3)
SQLALC_UNBOUNDED = None
SQLALC_FOR_UPDATE, SQLALC_FOR_UPDATE_NOWAIT, SQLALC_FOR_UPDATE_SKIP_LOCKED, SQLALC_FOR_SHARE = 1, 2, 4, 8
SQLALC_TYPE_INTEGER, SQLALC_TYPE_STRING, SQLALC_TYPE_NUMERIC, SQLALC_TYPE_FLOAT = 1, 6, 5, 4
TYPES = {1: sa.Integer(), 6: sa.String(), 5: sa.Numeric(), 4: sa.Float()}


def SQLALC_EXPRS(*a): return list(a)
SQLALC_COLS = SQLALC_EXPRS
SQLALC_NOEXPRS = []
def SQLALC_KV(c, v): return (c, v)
def SQLALC_KVS(*a): return list(a)
def SQLALC_NAMES(*a): return list(a)
def sqlalc_c(t, n): return t.c[n]
def sqlalc_table_expr(t): return t
def sqlalc_expr_ref(x): return x
def sqlalc_int(v): return Lit(v)
sqlalc_float = sqlalc_str = sqlalc_int
def sqlalc_bool(v): return Lit(bool(v))
def sqlalc_null(): return sa.null()
def sqlalc_true(): return sa.true()
def sqlalc_false(): return sa.false()
def sqlalc_literal_column(s): return sa.literal_column(s)
def sqlalc_bindparam(n, v): return sa.bindparam(n, v.v if isinstance(v, Lit) else v)
def SQLALC_INTV(v): return Lit(v)
SQLALC_TEXTV = SQLALC_INTV
def sqlalc_bindparam_required(n): return sa.bindparam(n)
def sqlalc_eq(a, b): return L(a) == R(b)
def sqlalc_ne(a, b): return L(a) != R(b)
def sqlalc_lt(a, b): return L(a) < R(b)
def sqlalc_le(a, b): return L(a) <= R(b)
def sqlalc_gt(a, b): return L(a) > R(b)
def sqlalc_ge(a, b): return L(a) >= R(b)
def sqlalc_is(a, b): return L(a).is_(R(b))
def sqlalc_isnot(a, b): return L(a).isnot(R(b))
def sqlalc_add(a, b): return L(a) + R(b)
def sqlalc_sub(a, b): return L(a) - R(b)
def sqlalc_mul(a, b): return L(a) * R(b)
def sqlalc_div(a, b): return L(a) / R(b)
def sqlalc_mod(a, b): return L(a) % R(b)
def sqlalc_neg(a): return -L(a)
def sqlalc_concat(a, b): return L(a).concat(R(b))
def sqlalc_and(*a): return sa.and_(*a)
def sqlalc_or(*a): return sa.or_(*a)
def sqlalc_not(a): return sa.not_(a)
def sqlalc_in(a, l): return L(a).in_([R(x) for x in l])
def sqlalc_notin(a, l): return L(a).notin_([R(x) for x in l])
def sqlalc_in_select(a, q): return L(a).in_(q)
def sqlalc_notin_select(a, q): return L(a).notin_(q)
def sqlalc_like(a, p, e): return L(a).like(R(p), escape=e or None)
def sqlalc_notlike(a, p, e): return L(a).notlike(R(p), escape=e or None)
def sqlalc_ilike(a, p, e): return L(a).ilike(R(p), escape=e or None)
def sqlalc_notilike(a, p, e): return L(a).notilike(R(p), escape=e or None)
def sqlalc_contains(a, b): return L(a).contains(R(b))
def sqlalc_startswith(a, b): return L(a).startswith(R(b))
def sqlalc_endswith(a, b): return L(a).endswith(R(b))
def sqlalc_contains_autoescape(a, b): return L(a).contains(R(b), autoescape=True)
def sqlalc_startswith_autoescape(a, b): return L(a).startswith(R(b), autoescape=True)
def sqlalc_endswith_autoescape(a, b): return L(a).endswith(R(b), autoescape=True)
def sqlalc_contains_escape(a, b, e, auto): return L(a).contains(R(b), escape=e or None, autoescape=bool(auto))
def sqlalc_startswith_escape(a, b, e, auto): return L(a).startswith(R(b), escape=e or None, autoescape=bool(auto))
def sqlalc_endswith_escape(a, b, e, auto): return L(a).endswith(R(b), escape=e or None, autoescape=bool(auto))
def sqlalc_between(a, lo, hi): return L(a).between(R(lo), R(hi))
def sqlalc_notbetween(a, lo, hi): return sa.not_(L(a).between(R(lo), R(hi)))
def sqlalc_distinct(a): return sa.distinct(L(a))
def sqlalc_cast_kind(a, k, n): return sa.cast(L(a), sa.String(n) if k == 6 and n else TYPES[k])
def sqlalc_case(w): return sa.case(*[(w[i], R(w[i + 1])) for i in range(0, len(w), 2)])
def sqlalc_case_else(w, e): return sa.case(*[(w[i], R(w[i + 1])) for i in range(0, len(w), 2)], else_=R(e))
def sqlalc_case_value(v, w): return sa.case({R(w[i]): R(w[i + 1]) for i in range(0, len(w), 2)}, value=v)
def sqlalc_case_value_else(v, w, e): return sa.case({R(w[i]): R(w[i + 1]) for i in range(0, len(w), 2)}, value=v, else_=R(e))
def sqlalc_func(n, a): return getattr(sa.func, n)(*[R(x) for x in a])
def sqlalc_count_star(): return sa.func.count()
def sqlalc_count(a): return sa.func.count(a)
def sqlalc_coalesce(a): return sa.func.coalesce(*[R(x) for x in a])
def sqlalc_label(a, n): return L(a).label(n)
def sqlalc_asc(a): return L(a).asc()
def sqlalc_desc(a): return L(a).desc()
def sqlalc_nulls_first(a): return sa.nullsfirst(a)
def sqlalc_nulls_last(a): return sa.nullslast(a)
def sqlalc_over(f, p, o): return f.over(partition_by=p or None, order_by=o or None)
def sqlalc_over_frame(f, p, o, fr, lo, hi):
    kw = {'rows' if fr == SQLALC_FRAME_ROWS else 'range_': (lo, hi)}
    return f.over(partition_by=p or None, order_by=o or None, **kw)
def sqlalc_scalar_subquery(q): return q.scalar_subquery()
def sqlalc_exists(q):
    if isinstance(q, Star):
        e = sa.exists()
        return e.where(q.where) if q.where is not None else e
    return q.exists()
def sqlalc_alias(t, n): return t.alias(n)
def sqlalc_subquery(q, n): return q.subquery(n)
def sqlalc_ac(a, n): return a.c[n]
def sqlalc_cte(q, n): return q.cte(n)
def sqlalc_cte_recursive(q, n): return q.cte(n, recursive=True)
def sqlalc_cte_union_all(c, q): return c.union_all(q)
def sqlalc_cte_union(c, q): return c.union(q)
def sqlalc_join(l, r, k):
    return sa.join(l, r, isouter=k == SQLALC_JOIN_LEFT, full=k == SQLALC_JOIN_FULL)
def sqlalc_join_on(l, r, on, k):
    return sa.join(l, r, on, isouter=k == SQLALC_JOIN_LEFT, full=k == SQLALC_JOIN_FULL)
def sqlalc_select(cols, where=None):
    if not cols:
        return Star(where)
    q = sa.select(*[L(c) for c in cols])
    return q.where(where) if where is not None else q
def sqlalc_where(q, c):
    if isinstance(q, DML):
        q = q.clone(); q.where.append(c); return q
    return q.where(c)
def sqlalc_select_from(q, f): return q.select_from(f)
def sqlalc_group_by(q, l): return q.group_by(*l)
def sqlalc_having(q, c): return q.having(c)
def sqlalc_order_by(q, l): return q.order_by(*l)
def sqlalc_limit(q, n): return q.limit(n)
def sqlalc_offset(q, n): return q.offset(n)
def sqlalc_select_distinct(q): return q.distinct()
def sqlalc_for_update(q, f):
    return q.with_for_update(nowait=bool(f & 2), skip_locked=bool(f & 4), read=bool(f & 8))
def _compound(fn, kw, a, b):
    if isinstance(a, sa.sql.selectable.CompoundSelect) and a.keyword == kw and \
            not a._order_by_clauses and a._limit_clause is None and a._offset_clause is None:
        return fn(*a.selects, b)
    return fn(a, b)
def sqlalc_union(a, b): return _compound(sa.union, sa.sql.selectable.CompoundSelect.UNION, a, b)
def sqlalc_union_all(a, b): return _compound(sa.union_all, sa.sql.selectable.CompoundSelect.UNION_ALL, a, b)
def sqlalc_intersect(a, b): return _compound(sa.intersect, sa.sql.selectable.CompoundSelect.INTERSECT, a, b)
def sqlalc_except(a, b): return _compound(sa.except_, sa.sql.selectable.CompoundSelect.EXCEPT, a, b)
def SQLALC_STMTS(*a): return [B(x) for x in a]
def sqlalc_union_of(l): return sa.union(*l)
def sqlalc_union_all_of(l): return sa.union_all(*l)
def sqlalc_intersect_of(l): return sa.intersect(*l)
def sqlalc_except_of(l): return sa.except_(*l)
def sqlalc_select_table(f): return sa.select(f)
def sqlalc_type_integer(): return sa.Integer()
def sqlalc_type_string(n): return sa.String(n or None)
def sqlalc_type_numeric(p, s): return sa.Numeric(p, s)
def sqlalc_type_boolean(): return sa.Boolean()
def sqlalc_type_float(): return sa.Float()
def sqlalc_type_date(): return sa.Date()
def sqlalc_column_clause(n, t): return sa.column(n, t)
def SQLALC_P_INT(n, v): return (n, v)
SQLALC_P_TEXT = SQLALC_P_INT
def SQLALC_PARAMS(*a): return dict(a)
def sqlalc_text_sql(sql, params):
    t = sa.text(sql)
    return t.bindparams(**params) if params else t
def sqlalc_text_columns(t, *cols): return t.columns(*cols)
def sqlalc_values_clause(name, cols, data):
    n = len(cols)
    rows = [tuple(R(x) for x in data[i:i + n]) for i in range(0, len(data), n)]
    return sa.values(*cols, name=name).data(rows)
def sqlalc_insert(t): return DML('insert', t)
def sqlalc_update(t): return DML('update', t)
def sqlalc_delete(t): return DML('delete', t)
def sqlalc_insert_default_values(t):
    d = DML('insert', t); d.default_values = True; return d
def sqlalc_insert_from_select(t, names, q):
    d = DML('insert', t); d.from_select = (names, q); return d
def sqlalc_values(d, kv):
    d = d.clone()
    if d.kind == 'update' and d.rows:
        d.rows[0] = d.rows[0] + kv
    else:
        d.rows.append(kv)
    return d
def sqlalc_returning(d, cols):
    d = d.clone(); d.returning += cols; return d
def sqlalc_on_conflict_do_nothing(d, idx):
    d = d.clone(); d.upsert = ('nothing', idx, None, None); return d
def sqlalc_on_conflict_do_update(d, idx, kv):
    d = d.clone(); d.upsert = ('update', idx, kv, None); return d
def sqlalc_on_conflict_do_update_where(d, idx, kv, w):
    d = d.clone(); d.upsert = ('update', idx, kv, w); return d
def sqlalc_excluded(t, n): return getattr(pg_insert(t).excluded, n)


def _pg_plain_like(dialect_cls):
    """PostgreSQL as libsqlalc compiles it: contains/startswith/endswith
    without an escape say ESCAPE '' (PostgreSQL's LIKE otherwise treats a
    backslash in the value as an escape, unlike every other dialect).  The
    rest of the text is SQLAlchemy's own."""
    base = dialect_cls.statement_compiler

    def wrap(name):
        orig = getattr(base, name)

        def visit(self, binary, operator, **kw):
            s = orig(self, binary, operator, **kw)
            if binary.modifiers.get('escape') is None:
                s += " ESCAPE ''"
            return s
        return visit
    names = ['visit_%s_op_binary' % n for n in
             ('contains', 'not_contains', 'startswith', 'not_startswith', 'endswith', 'not_endswith')]
    compiler = type('PlainLikePGCompiler', (base,), {n: wrap(n) for n in names})
    return type('PlainLikePGDialect', (dialect_cls,), {'statement_compiler': compiler})


PGDialect = _pg_plain_like(postgresql.dialect)


def _mssql_literal_frames(dialect_cls):
    """SQL Server as libsqlalc compiles it: window frame bounds as integer
    literals (ROWS BETWEEN 2 PRECEDING …), since T-SQL's grammar takes no
    parameter there and SQLAlchemy's bound form fails on a server.  The
    rest of the text is SQLAlchemy's own."""
    base = dialect_cls.statement_compiler

    def frame(self, range_, **kw):
        return base._format_frame_clause(self, range_, **dict(kw, literal_binds=True))
    compiler = type('LiteralFramesMSCompiler', (base,), {'_format_frame_clause': frame})
    return type('LiteralFramesMSDialect', (dialect_cls,), {'statement_compiler': compiler})


MSDialect = _mssql_literal_frames(mssql.dialect)


def _sqlite_update_from(dialect_cls):
    """SQLite as libsqlalc compiles it: UPDATE … FROM other tables (SQLite
    3.33+ runs it; SQLAlchemy 1.4 refuses it), in PostgreSQL's layout.
    DELETE with other tables stays an error (SQLite has no USING)."""
    base = dialect_cls.statement_compiler

    def update_from_clause(self, update_stmt, from_table, extra_froms, from_hints, **kw):
        kw['asfrom'] = True
        return 'FROM ' + ', '.join(t._compiler_dispatch(self, fromhints=from_hints, **kw) for t in extra_froms)
    def visit_values(self, element, asfrom=False, **kw):
        # SQLite has no "AS v (a, b)": name SQLite's column1, column2 … in a SELECT.
        v = base.visit_values(self, element, asfrom=False, **kw)
        if not asfrom:
            return v
        cols = ', '.join('column%d AS %s' % (i + 1, self.preparer.quote(c.name))
                         for i, c in enumerate(element.columns))
        return '(SELECT %s FROM (%s)) AS %s' % (cols, v, self.preparer.quote(element.name))
    compiler = type('UpdateFromSQLiteCompiler', (base,), {'update_from_clause': update_from_clause,
                                                          'visit_values': visit_values})
    return type('UpdateFromSQLiteDialect', (dialect_cls,), {'statement_compiler': compiler})


SQLiteDialect = _sqlite_update_from(sqlite.dialect)


def dialects():
    ms = MSDialect(paramstyle='named')
    ms._supports_offset_fetch = True
    ms.supports_multivalues_insert = True
    msq = MSDialect(paramstyle='qmark')
    msq._supports_offset_fetch = True
    msq.supports_multivalues_insert = True
    return [
        ('default', None, None),
        ('sqlite', SQLiteDialect(paramstyle='named'), SQLiteDialect(paramstyle='qmark')),
        ('postgresql', PGDialect(paramstyle='named'), PGDialect(paramstyle='qmark')),
        ('mssql', ms, msq),
    ]


def cstr(s):
    if s is None:
        return 'NULL'
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def compile_one(stmt, d):
    kw = dict(render_postcompile=True)
    c = stmt.compile(dialect=d, compile_kwargs=kw) if d is not None else stmt.compile(compile_kwargs=kw)
    return str(c), c


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = open(os.path.join(here, 'unit_compile_cases.txt')).read()
    cases = []
    for block in src.split('\n\n'):
        lines = [l for l in block.strip().split('\n') if l and not l.startswith('#')]
        if not lines:
            continue
        opts = {}
        if lines[0].startswith('@'):
            for o in lines[0][1:].split():
                k, _, v = o.partition('=')
                opts[k] = v.split(',') if v else True
            lines = lines[1:]
        # "$name = expr" lines bind a variable (an alias, subquery, CTE) the
        # statement borrows through sqlalc_ac; the C side frees it after.
        lets = []
        while lines and lines[0].startswith('$'):
            name, _, expr = lines[0][1:].partition('=')
            lets.append((name.strip(), expr.strip()))
            lines = lines[1:]
        cases.append((' '.join(l.strip() for l in lines), opts, lets))
    out = []
    table = []
    for i, (code, opts, lets) in enumerate(cases):
        env = dict(globals())
        for name, expr in lets:
            env[name] = eval(expr, env)
        stmt = B(eval(code, env))
        exp = []
        for name, d, dpos in dialects():
            if name in opts.get('skip', []):
                exp.append((None, None, None))
                continue
            try:
                s, c = compile_one(stmt, d)
            except Exception as e:
                if 'error' in opts and name in opts['error']:
                    exp.append(('!ERR', None, None))
                    continue
                print('case %d (%s) on %s: %s' % (i, code, name, e), file=sys.stderr)
                raise
            pos = None
            names = None
            if dpos is not None:
                p, pc = compile_one(stmt, dpos)
                names = ','.join(pc.positiontup or [])
                if name == 'postgresql':
                    parts = p.split('?')
                    p = parts[0] + ''.join('$%d%s' % (k + 1, t) for k, t in enumerate(parts[1:]))
                pos = p
            else:
                names = None  # the default dialect is named: no placeholder order
            exp.append((s, pos, names))
        body = ''.join('    sqlalc_expr *%s = %s;\n' % (n, e.replace('sqlalc_c(', 'fx_c(')) for n, e in lets)
        body += '    sqlalc_stmt *q = %s;\n' % code.replace('sqlalc_c(', 'fx_c(')
        body += ''.join('    sqlalc_expr_free(%s);\n' % n for n, _ in lets)
        out.append('static sqlalc_stmt *case_%d(void)\n{\n%s    return q;\n}\n' % (i, body))
        row = '    { %s, case_%d, {' % (cstr(code[:60]), i)
        row += ', '.join('{ %s, %s, %s }' % (cstr(a), cstr(b), cstr(c)) for a, b, c in exp)
        row += '} },'
        table.append(row)
    with open(os.path.join(here, 'unit_compile_cases.inc'), 'w') as f:
        f.write('/* Generated by tests/unit_compile_gen.py from SQLAlchemy %s: do not edit. */\n\n'
                % sa.__version__)
        f.write('\n'.join(out))
        f.write('\nstatic const struct compile_case compile_cases[] = {\n')
        f.write('\n'.join(table))
        f.write('\n};\n')
    print('%d cases' % len(cases))


if __name__ == '__main__':
    main()
