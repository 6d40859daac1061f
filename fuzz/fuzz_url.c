/*
 * URL parser: every URL that parses renders back to text that parses to
 * the same parts (and renders identically); a masked render never shows a
 * password (the password part, query keys password/pwd, PWD= inside
 * odbc_connect); a URL that fails to parse never shows its secret in the
 * error message, from sqlalc_url_parse or sqlalc_engine_create.
 */
#include <sqlalc.h>
#include "fuzz_common.h"

#define SECRET "Qz7SECRETx9K"

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static void same_parts(const sqlalc_url *a, const sqlalc_url *b, const char *text)
{
    FZ_CHECK(same(sqlalc_url_dialect(a), sqlalc_url_dialect(b)), "dialect: %s", text);
    FZ_CHECK(same(sqlalc_url_driver(a), sqlalc_url_driver(b)), "driver: %s", text);
    FZ_CHECK(same(sqlalc_url_username(a), sqlalc_url_username(b)), "username: %s", text);
    FZ_CHECK(same(sqlalc_url_password(a), sqlalc_url_password(b)), "password: %s", text);
    FZ_CHECK(same(sqlalc_url_host(a), sqlalc_url_host(b)), "host: %s", text);
    FZ_CHECK(sqlalc_url_port(a) == sqlalc_url_port(b), "port: %s", text);
    FZ_CHECK(same(sqlalc_url_database(a), sqlalc_url_database(b)), "database: %s", text);
    FZ_CHECK(sqlalc_url_query_count(a) == sqlalc_url_query_count(b), "query count: %s", text);
    for (size_t i = 0; i < sqlalc_url_query_count(a); i++) {
        FZ_CHECK(same(sqlalc_url_query_key(a, i), sqlalc_url_query_key(b, i)), "query key %zu: %s", i, text);
        FZ_CHECK(same(sqlalc_url_query_value(a, i), sqlalc_url_query_value(b, i)), "query value %zu: %s", i,
                 text);
    }
}

/* Render round trip of a parsed URL. */
static void round_trip(const sqlalc_url *u, const char *text)
{
    char *r1 = sqlalc_url_render(u, 0);
    FZ_CHECK(r1, "render failed: %s", text);
    sqlalc_url *u2;
    FZ_CHECK(sqlalc_url_parse(r1, &u2) == SQLALC_OK, "rendered URL does not parse: %s -> %s (%s)", text, r1,
             sqlalc_errmsg());
    same_parts(u, u2, r1);
    char *r2 = sqlalc_url_render(u2, 0);
    FZ_CHECK(r2 && !strcmp(r1, r2), "render not stable: %s -> %s -> %s", text, r1, r2 ? r2 : "(null)");
    sqlalc_free(r2);
    sqlalc_url_free(u2);
    sqlalc_free(r1);
}

/* The same URL carrying a known secret in every place one can sit: the
 * masked render must not show it. */
static void masked_render(const sqlalc_url *u, const char *text)
{
    sqlalc_url *c;
    FZ_CHECK(sqlalc_url_copy(u, &c) == SQLALC_OK, "copy failed");
    FZ_CHECK(sqlalc_url_set(c, SQLALC_URL_PASSWORD, SECRET) == SQLALC_OK, "set password failed");
    char *m = sqlalc_url_render(c, 1);
    FZ_CHECK(m && !strstr(m, SECRET), "masked render shows the password: %s -> %s", text, m ? m : "");
    sqlalc_free(m);
    sqlalc_url_query_remove(c, "password");
    sqlalc_url_query_remove(c, "pwd");
    sqlalc_url_query_remove(c, "odbc_connect");
    FZ_CHECK(sqlalc_url_query_add(c, "password", SECRET) == SQLALC_OK, "query add");
    FZ_CHECK(sqlalc_url_query_add(c, "pwd", SECRET "2") == SQLALC_OK, "query add");
    FZ_CHECK(sqlalc_url_query_add(c, "odbc_connect", "DRIVER={x};UID=u;PWD=" SECRET "3;SERVER=s") ==
                 SQLALC_OK,
             "query add");
    m = sqlalc_url_render(c, 1);
    FZ_CHECK(m && !strstr(m, SECRET), "masked render shows a secret: %s -> %s", text, m ? m : "");
    /* and the masked form still parses */
    sqlalc_url *back;
    FZ_CHECK(sqlalc_url_parse(m, &back) == SQLALC_OK, "masked render does not parse: %s", m);
    sqlalc_url_free(back);
    sqlalc_free(m);
    sqlalc_url_free(c);
}

/* A text that does not parse: its secret must not reach the message. */
static void failed_parse(const char *text)
{
    sqlalc_url *u;
    if (sqlalc_url_parse(text, &u) == SQLALC_OK) {
        round_trip(u, text);
        sqlalc_url_free(u);
        return;
    }
    const char *msg = sqlalc_errmsg();
    FZ_CHECK(msg && *msg, "parse failed without a message: %s", text);
    FZ_CHECK(!strstr(msg, SECRET), "parse error shows the secret: %s\n  message: %s", text, msg);
    sqlalc_engine *eng = NULL;
    int rc = sqlalc_engine_create(text, NULL, &eng);
    FZ_CHECK(rc != SQLALC_OK && !eng, "engine_create accepted an unparsable URL: %s", text);
    msg = sqlalc_errmsg();
    FZ_CHECK(!strstr(msg, SECRET), "engine_create error shows the secret: %s\n  message: %s", text, msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = fz_cstr(data, size);
    if (strstr(text, "SECRET")) { /* the input itself would show it */
        free(text);
        return 0;
    }
    sqlalc_url *u;
    if (sqlalc_url_parse(text, &u) == SQLALC_OK) {
        round_trip(u, text);
        masked_render(u, text);
        sqlalc_url_free(u);
    } else {
        FZ_CHECK(*sqlalc_errmsg(), "parse failed without a message: %s", text);
    }
    /* the input around a secret, in the forms the masker must recognise */
    static const char *const forms[] = { "postgresql://user:" SECRET "@%s", "%s?password=" SECRET "&z=%%zz",
                                         "postgresql://h/db?k=%s&password=" SECRET "&z=%%zz",
                                         ("mssql+odbc:///?odbc_connect=PWD%%3D" SECRET "%%3B%s"),
                                         ("%s&pwd=" SECRET) };
    size_t cap = size + 128;
    char *buf = malloc(cap);
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        /* "…?password=" after a text with a query already would make the
         * secret part of an earlier value: say "&" there */
        if (k == 1 && strchr(text, '?'))
            snprintf(buf, cap, "%s&password=" SECRET "&z=%%zz", text);
        else
            snprintf(buf, cap, forms[k], text);
        failed_parse(buf);
    }
    free(buf);
    free(text);
    return 0;
}
