/*
 * PostgreSQL result decoding without a server: libpq's own result
 * builders (PQmakeEmptyPGresult, PQsetResultAttrs, PQsetvalue) make a
 * result of fuzz-chosen columns (every type OID the driver knows, others,
 * text and binary formats) holding fuzz bytes or NULL, and the driver's
 * column accessors read it as the engine would.  The parameter encoder
 * is fed fuzz values for every slot type too.  Invariants: no memory
 * error or UB; a decoded hex bytea is exactly half its digits long, and
 * malformed hex (odd length, a non-hex digit) is refused as a data error;
 * a binary-format bytea comes back as exactly its bytes (binary columns
 * of other types: wrong widths are data errors).
 */
#include <libpq-fe.h>
#include "dialects/postgresql/driver_libpq.h"
#include "fuzz_common.h"

static const Oid oids[] = { OID_BOOL,
                            OID_BYTEA,
                            OID_NAME,
                            OID_INT8,
                            OID_INT2,
                            OID_INT4,
                            OID_TEXT,
                            OID_OID,
                            OID_JSON,
                            OID_FLOAT4,
                            OID_FLOAT8,
                            OID_BPCHAR,
                            OID_VARCHAR,
                            OID_DATE,
                            OID_TIME,
                            OID_TIMESTAMP,
                            OID_TIMESTAMPTZ,
                            OID_INTERVAL,
                            OID_TIMETZ,
                            OID_NUMERIC,
                            OID_UUID,
                            OID_JSONB,
                            0,
                            705 /* unknown */,
                            1000 /* bool[] */ };

static void decode(fz *f)
{
    int ncols = 1 + (int)(fz_byte(f) % 8);
    PGresAttDesc attrs[8];
    char names[8][8];
    for (int i = 0; i < ncols; i++) {
        unsigned k = fz_byte(f);
        snprintf(names[i], sizeof names[i], "c%d", i);
        memset(&attrs[i], 0, sizeof attrs[i]);
        attrs[i].name = names[i];
        attrs[i].typid = k < 250 ? oids[k % (sizeof oids / sizeof oids[0])] : (Oid)fz_u64(f);
        attrs[i].typlen = -1;
        attrs[i].atttypmod = -1;
        attrs[i].format = (fz_byte(f) % 8) == 0; /* mostly text, as the driver asks */
    }
    PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    if (!r || !PQsetResultAttrs(r, ncols, attrs))
        abort();
    for (int i = 0; i < ncols; i++) {
        size_t n;
        const char *p = fz_bytes(f, &n);
        if (fz_byte(f) % 10 == 0)
            PQsetvalue(r, 0, i, NULL, -1);
        else if (!PQsetvalue(r, 0, i, (char *)p, (int)n))
            abort();
    }
    pq_stmt s;
    memset(&s, 0, sizeof s);
    if (sqlalc__pq_set_meta(&s, r) == SQLALC_OK) {
        s.cur = r;
        for (int i = -1; i <= ncols; i++) {
            sqlalc_value v;
            int64_t i64;
            double d;
            const char *t;
            size_t tl;
            (void)sqlalc__pq_column_name(&s, i);
            (void)sqlalc__pq_column_decltype(&s, i);
            int vrc = sqlalc__pq_column_value(&s, i, &v);
            if (vrc != SQLALC_OK && i >= 0 && i < ncols && attrs[i].typid == OID_BYTEA) {
                /* only malformed hex may be refused, as a data error */
                const char *raw = PQgetvalue(r, 0, i);
                FZ_CHECK(attrs[i].format == 0 && vrc == SQLALC_ERR_DATA && raw[0] == '\\' && raw[1] == 'x',
                         "bytea refused with %d", vrc);
            }
            if (vrc == SQLALC_OK && i >= 0 && i < ncols) {
                const char *raw = PQgetvalue(r, 0, i);
                size_t rl = (size_t)PQgetlength(r, 0, i);
                if (v.type == SQLALC_V_BLOB && attrs[i].format == 1)
                    FZ_CHECK(v.u.s.len == rl && !memcmp(v.u.s.p, raw, rl),
                             "binary bytea of %zu bytes changed", rl);
                else if (v.type == SQLALC_V_BLOB && rl >= 2 && raw[0] == '\\' && raw[1] == 'x')
                    FZ_CHECK(v.u.s.len == (rl - 2) / 2, "hex bytea of %zu digits decoded to %zu bytes",
                             rl - 2, v.u.s.len);
                if (v.type >= SQLALC_V_TEXT && v.type != SQLALC_V_BOOL && v.u.s.len != SQLALC_NTS) {
                    /* the bytes are readable to the length given */
                    volatile char sink = 0;
                    for (size_t k = 0; k < v.u.s.len; k++)
                        sink ^= v.u.s.p[k];
                    (void)sink;
                }
            }
            (void)sqlalc__pq_column_int64(&s, i, &i64);
            (void)sqlalc__pq_column_double(&s, i, &d);
            (void)sqlalc__pq_column_text(&s, i, &t, &tl);
        }
    }
    for (int i = 0; s.cbuf && i < s.ncols; i++)
        sqlalc_free(s.cbuf[i]);
    sqlalc_free(s.cbuf);
    sqlalc_free(s.ccap);
    sqlalc_free(s.kind);
    sqlalc_free(s.vt);
    PQclear(r);
}

static void encode(fz *f)
{
    sqlalc_buf arena = SQLALC_BUF_INIT;
    for (int k = 0; k < 4 && fz_more(f); k++) {
        sqlalc_value v;
        size_t n;
        const char *p;
        unsigned t = fz_byte(f) % 13;
        memset(&v, 0, sizeof v);
        v.type = (sqlalc_vtype)t;
        if (t == SQLALC_V_INT || t == SQLALC_V_BOOL)
            v.u.i = (int64_t)fz_u64(f);
        else if (t == SQLALC_V_FLOAT)
            v.u.f = fz_double(f);
        else if (t != SQLALC_V_NULL) {
            p = fz_bytes(f, &n);
            v.u.s.p = p;
            v.u.s.len = n;
        }
        Oid slot = oids[fz_byte(f) % (sizeof oids / sizeof oids[0])];
        pq_param par;
        memset(&par, 0, sizeof par);
        (void)sqlalc__pq_is_null(&v);
        (void)sqlalc__pq_oid_for(&v);
        sqlalc__pq_encode(&arena, &par, &v, slot, 1);
    }
    sqlalc_buf_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    fz f = { data, size, 0 };
    if (fz_byte(&f) & 1)
        encode(&f);
    decode(&f);
    return 0;
}
