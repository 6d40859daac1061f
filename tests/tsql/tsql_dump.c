/*
 * Writes every SQL Server statement the tests compile, for the T-SQL
 * grammar check (tests/tsql/check_tsql.js): the compiler cases of
 * unit_compile_cases.txt and unit_mssql_cases.txt for every server
 * version, the DDL of the test tables per version, the reflection queries
 * and the statements the engine itself runs on SQL Server.  Records are
 * "label\x1fsql\x1e" on stdout.
 */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "unit_compile_fixture.h"
#include "sqlalc/mssql.h"

struct ms_expect {
    const char *named, *positional, *names;
};
struct ms_case {
    const char *title;
    sqlalc_stmt *(*build)(void);
    struct ms_expect e[4];
};
#include "unit_mssql_cases.inc"

static const char *const versions[4] = { NULL, "10.50", "11.0", "14.0" };
static const char *vname(int i)
{
    return versions[i] ? versions[i] : "none";
}

static void emit(const char *label, int v, const char *sql)
{
    printf("%s [mssql %s]\x1f%s\x1e", label, vname(v), sql);
}

static const sqlalc_dialect *ms(int i)
{
    const sqlalc_dialect *d = sqlalc_find_dialect("mssql");
    return versions[i] ? sqlalc_dialect_for_server_version(d, versions[i]) : d;
}

static void ddl(sqlalc_table *t, int v)
{
    char *sql = NULL, label[200];
    snprintf(label, sizeof label, "create table %s", sqlalc_table_name(t));
    if (sqlalc_create_table_sql(t, ms(v), &sql) == SQLALC_OK)
        emit(label, v, sql);
    sqlalc_free(sql);
    for (size_t i = 0; i < sqlalc_table_index_count(t); i++) {
        if (sqlalc_create_index_sql(t, i, ms(v), &sql) == SQLALC_OK)
            emit("create index", v, sql);
        sqlalc_free(sql);
        if (sqlalc_drop_index_sql(t, i, ms(v), &sql) == SQLALC_OK)
            emit("drop index", v, sql);
        sqlalc_free(sql);
    }
    if (sqlalc_drop_table_sql(t, ms(v), &sql) == SQLALC_OK)
        emit("drop table", v, sql);
    sqlalc_free(sql);
}

int main(void)
{
    fx_setup();
    int n = 0;
    for (size_t k = 0; k < sizeof ms_cases / sizeof ms_cases[0]; k++) {
        sqlalc_stmt *q = ms_cases[k].build();
        for (int v = 0; v < 4 && q; v++) {
            sqlalc_compiled *c = NULL;
            if (strcmp(ms_cases[k].e[v].named, "!ERR") &&
                sqlalc_compile(q, ms(v), SQLALC_PARAMSTYLE_QMARK, &c) == SQLALC_OK) {
                char label[64];
                snprintf(label, sizeof label, "case %zu", k);
                emit(label, v, sqlalc_compiled_sql(c));
                n++;
            }
            sqlalc_compiled_free(c);
        }
        sqlalc_stmt_free(q);
    }
    fx_teardown();

    /* DDL: every type, constraints, indexes (INCLUDE, WHERE), FK actions */
    for (int v = 0; v < 4; v++) {
        sqlalc_metadata *md = sqlalc_metadata_new();
        sqlalc_table *p =
            sqlalc_table_new(md, "parent", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                             sqlalc_column("code", sqlalc_type_string(10), SQLALC_NOT_NULL));
        sqlalc_table *t = sqlalc_table_new(
            md, "alltypes", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
            sqlalc_column("si", sqlalc_type_smallint(), 0), sqlalc_column("bi", sqlalc_type_bigint(), 0),
            sqlalc_column("f", sqlalc_type_float(), 0), sqlalc_column("n", sqlalc_type_numeric(10, 2), 0),
            sqlalc_column("s", sqlalc_type_string(20), SQLALC_NOT_NULL),
            sqlalc_column("s0", sqlalc_type_string(0), 0), sqlalc_column("t", sqlalc_type_text(), 0),
            sqlalc_column("u", sqlalc_type_unicode(30), 0),
            sqlalc_column("ut", sqlalc_type_unicode_text(), 0), sqlalc_column("b", sqlalc_type_boolean(), 0),
            sqlalc_column("d", sqlalc_type_date(), 0), sqlalc_column("tm", sqlalc_type_time(0), 0),
            sqlalc_column("dt", sqlalc_type_datetime(0), 0), sqlalc_column("dtz", sqlalc_type_datetime(1), 0),
            sqlalc_column("d2", sqlalc_mssql_datetime2(3), 0),
            sqlalc_column("lb", sqlalc_type_large_binary(), 0), sqlalc_column("j", sqlalc_type_json(), 0),
            sqlalc_column("g", sqlalc_type_uuid(), 0), sqlalc_column("r", sqlalc_type_real(), 0),
            sqlalc_column("dp", sqlalc_type_double(), 0), sqlalc_column("c", sqlalc_type_char(5), 0),
            sqlalc_column("nc", sqlalc_type_nchar(5), 0),
            sqlalc_column("e", sqlalc_type_enum("mood", "ok", "sad"), 0),
            sqlalc_column(
                "pid", sqlalc_type_integer(), 0,
                sqlalc_foreign_key_ex("parent.id", SQLALC_FK_OPTIONS(.name = "fk_pid", .ondelete = "CASCADE",
                                                                     .onupdate = "SET NULL"))),
            sqlalc_column("cnt", sqlalc_type_integer(), 0, sqlalc_opt_server_default_sql("0")),
            sqlalc_check_constraint("ck_cnt", "cnt >= 0"), sqlalc_unique_constraint("uq_s_si", "s, si"),
            sqlalc_index("ix_alltypes_pid", "pid", 0), sqlalc_index("ux_multi", "s, d", 1));
        if (!p || !t) {
            fprintf(stderr, "tsql_dump: tables: %s\n", sqlalc_errmsg());
            return 1;
        }
        ddl(p, v);
        ddl(t, v);
        sqlalc_metadata_free(md);
    }

    /* SCOPE_IDENTITY() instead of OUTPUT (a table with triggers) and
     * SET IDENTITY_INSERT around an explicit IDENTITY value (issue 15.2) */
    for (int v = 0; v < 4; v++) {
        sqlalc_metadata *md = sqlalc_metadata_new();
        sqlalc_table *t =
            sqlalc_table_new(md, "user", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                             sqlalc_column("name", sqlalc_type_string(20), 0), sqlalc_opt_schema("dbo"),
                             sqlalc_opt_mssql_scope_identity());
        sqlalc_stmt *q[2] = {
            sqlalc_returning(sqlalc_values(sqlalc_insert(t), SQLALC_KVS(SQLALC_KV("name", sqlalc_str("a")))),
                             SQLALC_COLS(sqlalc_c(t, "id"))),
            sqlalc_values(sqlalc_insert(t),
                          SQLALC_KVS(SQLALC_KV("id", sqlalc_int(7)), SQLALC_KV("name", sqlalc_str("b")))),
        };
        for (int k = 0; k < 2; k++) {
            sqlalc_compiled *c = NULL;
            if (!q[k] || sqlalc_compile(q[k], ms(v), SQLALC_PARAMSTYLE_QMARK, &c)) {
                fprintf(stderr, "tsql_dump: identity statements: %s\n", sqlalc_errmsg());
                return 1;
            }
            emit(k ? "insert explicit identity" : "insert scope_identity", v, sqlalc_compiled_sql(c));
            if (sqlalc_compiled_around_sql(c, 0)) {
                emit("identity_insert on", v, sqlalc_compiled_around_sql(c, 0));
                emit("identity_insert off", v, sqlalc_compiled_around_sql(c, 1));
            }
            sqlalc_compiled_free(c);
            sqlalc_stmt_free(q[k]);
            n++;
        }
        sqlalc_metadata_free(md);
    }

    /* reflection queries (":schema" is the one bind) and the engine's own SQL */
    const sqlalc_reflect_hooks *r = sqlalc_find_dialect("mssql")->reflect;
    emit("reflect tables_query", 0, r->tables_query);
    emit("reflect columns_query", 0, r->columns_query);
    emit("reflect constraints_query", 0, r->constraints_query);
    emit("reflect indexes_query", 0, r->indexes_query);
    for (const char *const *q = sqlalc__mssql_engine_queries; *q; q++)
        emit("reflect helper", 0, *q);
    const sqlalc_dialect *d = sqlalc_find_dialect("mssql");
    emit("last_insert_id_sql", 0, d->last_insert_id_sql);
    fprintf(stderr, "tsql_dump: %d compiled statements\n", n);
    return 0;
}
