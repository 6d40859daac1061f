/*
 * Database URLs: parse, build, render.
 *
 * Grammar (SQLAlchemy's):
 *   dialect[+driver]://[user[:password]@][host][:port][/database][?query]
 *
 * Where this parser parts from SQLAlchemy 1.4's regular expression, it is
 * to be deterministic in the cases that regex gets wrong:
 *  - the authority (userinfo, host, port) ends at the first '/' or '?';
 *    userinfo ends at the LAST '@' inside it, so a raw '@' in a password
 *    works, while an '@' in the database or query ("?email=a@b") is never
 *    taken for the end of a password;
 *  - every part is percent-decoded (SQLAlchemy leaves host and database
 *    encoded), so any byte but NUL can be written anywhere;
 *  - query pairs without a value are kept (value "") instead of dropped.
 * Like SQLAlchemy, '+' means a space in the query only (form encoding),
 * and stays a '+' everywhere else.
 */
#include <stdio.h>
#include <string.h>
#include "util.h"

typedef struct url_qparam {
    char *key, *value;
} url_qparam;

struct sqlalc_url {
    char *dialect, *driver, *username, *password, *host, *database;
    int port;
    url_qparam *query;
    size_t nquery, capquery;
};

/* ------------------------------------------------------------------ */
/* Error messages: the URL is shown with every secret masked           */
/* ------------------------------------------------------------------ */

typedef struct span {
    size_t off, len;
} span;

#define MAX_MASKS 16

typedef struct masker {
    const char *text;
    size_t len;
    span masks[MAX_MASKS];
    size_t nmasks;
    size_t mask_rest_from; /* when masks overflow: hide the rest (or len) */
} masker;

static void mask_add(masker *m, size_t off, size_t len)
{
    if (m->nmasks < MAX_MASKS)
        m->masks[m->nmasks++] = (span){ off, len };
    else if (off < m->mask_rest_from)
        m->mask_rest_from = off;
}

static int mask_overlaps(const masker *m, size_t off, size_t len)
{
    if (off + len > m->mask_rest_from && len)
        return 1;
    for (size_t i = 0; i < m->nmasks; i++) {
        const span *s = &m->masks[i];
        if (off < s->off + s->len && s->off < off + len)
            return 1;
    }
    return 0;
}

static int key_is_secret(const char *k, size_t n)
{
    /* any key ending so ("db_password", "?password" after a stray '?'):
     * over-masking beats showing a secret (found by fuzz_url) */
    return (n >= 8 && !sqlalc__strncasecmp(k + n - 8, "password", 8)) ||
           (n >= 3 && !sqlalc__strncasecmp(k + n - 3, "pwd", 3));
}

static int contains_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!sqlalc__strncasecmp(s + i, needle, k))
            return 1;
    return 0;
}

/* Masks for query values that carry a password: "password=", "pwd=", and
 * an ODBC connection string that mentions PWD (hidden whole). */
static void mask_query_secrets(masker *m, size_t qoff)
{
    size_t i = qoff;
    while (i < m->len) {
        size_t end = i;
        while (end < m->len && m->text[end] != '&')
            end++;
        const char *eq = memchr(m->text + i, '=', end - i);
        if (eq) {
            size_t klen = (size_t)(eq - (m->text + i));
            size_t voff = (size_t)(eq - m->text) + 1;
            if (key_is_secret(m->text + i, klen) ||
                (klen == 12 && !sqlalc__strncasecmp(m->text + i, "odbc_connect", 12) &&
                 (contains_ci(m->text + voff, end - voff, "pwd") ||
                  contains_ci(m->text + voff, end - voff, "password"))))
                mask_add(m, voff, end - voff);
        }
        i = end + 1;
    }
}

/* Text whose query could not be found (no "://", say): any
 * "password=", "pwd=" or "odbc_connect=" after a '?', '&' or ';' (or at
 * the start) is hidden to the next '&' (found by fuzz_url: "x&pwd=s"). */
static void mask_loose_secrets(masker *m)
{
    for (size_t i = 0; i < m->len; i++) {
        if (i && m->text[i - 1] != '?' && m->text[i - 1] != '&' && m->text[i - 1] != ';')
            continue;
        const char *eq = strchr(m->text + i, '=');
        const char *amp = strchr(m->text + i, '&');
        if (!eq || (amp && amp < eq))
            continue;
        size_t klen = (size_t)(eq - (m->text + i));
        if (key_is_secret(m->text + i, klen) ||
            (klen == 12 && !sqlalc__strncasecmp(m->text + i, "odbc_connect", 12))) {
            size_t voff = klen + i + 1;
            size_t end = amp ? (size_t)(amp - m->text) : m->len;
            mask_add(m, voff, end - voff);
        }
    }
}

/*
 * Guess the secrets of text that may not parse.  When the authority had
 * an '@', the password span is known exactly (pw may be NULL when there
 * is none); otherwise, a ':' after "://" followed later by an '@' may be
 * a password holding a raw '/' or '?', so hide from that ':' to the last
 * '@' (over-masking a message is better than printing a secret).
 */
static void masker_init(masker *m, const char *text, size_t auth_off, int have_userinfo, const span *pw,
                        size_t qoff)
{
    memset(m, 0, sizeof *m);
    m->text = text;
    m->len = strlen(text);
    m->mask_rest_from = m->len;
    if (have_userinfo) {
        if (pw)
            mask_add(m, pw->off, pw->len);
    } else {
        const char *at = strrchr(text + auth_off, '@');
        const char *colon = strchr(text + auth_off, ':');
        if (at && colon && colon < at)
            mask_add(m, (size_t)(colon - text) + 1, (size_t)(at - colon) - 1);
    }
    if (qoff < m->len)
        mask_query_secrets(m, qoff);
    else
        mask_loose_secrets(m);
}

/* Longest stretch of a URL shown in a message before "..." (messages
 * stay readable; memory is not the limit: the text grows as needed). */
#define SHOWN_MAX 1000

/* Append the masked URL to out, cut with "..." past SHOWN_MAX. */
static void masker_render(const masker *m, sqlalc_buf *out)
{
    size_t i = 0, shown = 0;
    while (i < m->len && shown < SHOWN_MAX) {
        size_t skip = 0;
        if (i >= m->mask_rest_from)
            skip = m->len - i;
        for (size_t k = 0; k < m->nmasks && !skip; k++)
            if (m->masks[k].off == i)
                skip = m->masks[k].len ? m->masks[k].len : (size_t)-1;
        if (skip) {
            sqlalc_buf_puts(out, "***");
            shown += 3;
            if (skip != (size_t)-1)
                i += skip;
            else if (i < m->len) { /* empty secret: "***" then the text */
                sqlalc_buf_putc(out, m->text[i++]);
                shown++;
            }
            continue;
        }
        unsigned char c = (unsigned char)m->text[i++];
        sqlalc_buf_putc(out, (c < 0x20 || c == 0x7f) ? '?' : (char)c);
        shown++;
    }
    if (i < m->len)
        sqlalc_buf_puts(out, "...");
}

/*
 * Record SQLALC_ERR_ARGUMENT: "<before>[ '<part>']<after> URL <masked>".
 * The offending text (at off/len) is quoted only when it holds no secret.
 */
static int url_error(const masker *m, const char *before, size_t off, size_t len, int quote,
                     const char *after)
{
    sqlalc_buf shown = SQLALC_BUF_INIT;
    masker_render(m, &shown);
    const char *url = shown.oom || !shown.p ? "(not shown: out of memory)" : shown.p;
    int rc;
    if (quote && !mask_overlaps(m, off, len) && len <= 80) {
        char part[81];
        size_t n = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)m->text[off + i];
            part[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
        part[n] = 0;
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s '%s'%s URL %s", before, part, after, url);
    } else
        rc = sqlalc_error_set(SQLALC_ERR_ARGUMENT, "%s%s URL %s", before, after, url);
    sqlalc_buf_free(&shown);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Percent-decoding                                                    */
/* ------------------------------------------------------------------ */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Check the escapes of text[off, off+len) (error names the part). */
static int check_escapes(const masker *m, size_t off, size_t len, const char *part)
{
    char where[64];
    snprintf(where, sizeof where, " in %s of", part);
    for (size_t i = off; i < off + len; i++) {
        if (m->text[i] != '%')
            continue;
        size_t n = off + len - i;
        int secret = mask_overlaps(m, off, len);
        if (n < 3 || hexval((unsigned char)m->text[i + 1]) < 0 || hexval((unsigned char)m->text[i + 2]) < 0)
            return url_error(m, "bad percent escape", i, n < 3 ? n : 3, !secret, where);
        if (m->text[i + 1] == '0' && m->text[i + 2] == '0')
            return url_error(m, "percent escape %00 (NUL byte) not allowed", i, 3, 0, where);
        i += 2;
    }
    return SQLALC_OK;
}

/* A new decoded copy of text[off, off+len); escapes already checked. */
static char *decode(const char *text, size_t off, size_t len, int plus_is_space)
{
    char *d = sqlalc__malloc(len + 1);
    if (!d)
        return NULL;
    size_t o = 0;
    for (size_t i = off; i < off + len; i++) {
        char c = text[i];
        if (c == '%') {
            d[o++] = (char)(hexval((unsigned char)text[i + 1]) * 16 + hexval((unsigned char)text[i + 2]));
            i += 2;
        } else
            d[o++] = (plus_is_space && c == '+') ? ' ' : c;
    }
    d[o] = 0;
    return d;
}

/* ------------------------------------------------------------------ */
/* Construction and destruction                                        */
/* ------------------------------------------------------------------ */

void sqlalc_url_free(sqlalc_url *url)
{
    if (!url)
        return;
    sqlalc_free(url->dialect);
    sqlalc_free(url->driver);
    sqlalc_free(url->username);
    sqlalc_free(url->password);
    sqlalc_free(url->host);
    sqlalc_free(url->database);
    for (size_t i = 0; i < url->nquery; i++) {
        sqlalc_free(url->query[i].key);
        sqlalc_free(url->query[i].value);
    }
    sqlalc_free(url->query);
    sqlalc_free(url);
}

/* Append a pair, taking ownership of key and value (freed on failure). */
static int query_push(sqlalc_url *url, char *key, char *value)
{
    if (sqlalc__grow((void **)&url->query, &url->capquery, url->nquery + 1, sizeof *url->query)) {
        sqlalc_free(key);
        sqlalc_free(value);
        return SQLALC_ERR_NOMEM;
    }
    url->query[url->nquery].key = key;
    url->query[url->nquery].value = value;
    url->nquery++;
    return SQLALC_OK;
}

static int is_name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Decode the part at sp into *dst (after checking its escapes). */
static int take_part(const masker *m, const span *sp, const char *part, int plus_is_space, char **dst)
{
    int rc = check_escapes(m, sp->off, sp->len, part);
    if (rc)
        return rc;
    *dst = decode(m->text, sp->off, sp->len, plus_is_space);
    return *dst ? SQLALC_OK : SQLALC_ERR_NOMEM;
}

static int parse_port(const masker *m, size_t off, size_t len, int *port)
{
    if (len == 0)
        return url_error(m, "empty port", off, 0, 0, " after ':' in");
    long v = 0;
    for (size_t i = off; i < off + len; i++) {
        char c = m->text[i];
        if (c < '0' || c > '9')
            return url_error(m, "invalid port", off, len, 1, " in");
        if (v <= 65535)
            v = v * 10 + (c - '0');
    }
    if (v < 1 || v > 65535)
        return url_error(m, "port", off, len, 1, " out of range 1-65535 in");
    *port = (int)v;
    return SQLALC_OK;
}

static int parse_query(const masker *m, size_t off, sqlalc_url *url)
{
    size_t i = off;
    while (i < m->len) {
        size_t end = i;
        while (end < m->len && m->text[end] != '&')
            end++;
        if (end > i) { /* "&&" and a trailing '&' are skipped */
            const char *eq = memchr(m->text + i, '=', end - i);
            span k = { i, eq ? (size_t)(eq - m->text) - i : end - i };
            span v = { eq ? (size_t)(eq - m->text) + 1 : end, 0 };
            v.len = end - v.off;
            char *key = NULL, *value = NULL;
            int rc = take_part(m, &k, "query key", 1, &key);
            if (!rc)
                rc = take_part(m, &v, "query value", 1, &value);
            if (!rc)
                rc = query_push(url, key, value); /* owns key/value now */
            else {
                sqlalc_free(key);
                sqlalc_free(value);
            }
            if (rc)
                return rc;
        }
        i = end + 1;
    }
    return SQLALC_OK;
}

static int bad_char(const masker *m, char c, const char *what, size_t off, size_t len)
{
    char before[64];
    unsigned char uc = (unsigned char)c;
    snprintf(before, sizeof before, "invalid character '%c' in %s name", uc < 0x20 || uc == 0x7f ? '?' : c,
             what);
    return url_error(m, before, off, len, 1, " in");
}

/* Check "name" or "name+driver" at text[0, len). */
static int check_drivername(const masker *m, size_t len)
{
    const char *t = m->text;
    const char *plus = memchr(t, '+', len);
    size_t dlen = plus ? (size_t)(plus - t) : len;
    if (dlen == 0)
        return url_error(m, "empty dialect name", 0, 0, 0, " in");
    for (size_t i = 0; i < dlen; i++)
        if (!is_name_char((unsigned char)t[i]))
            return bad_char(m, t[i], "dialect", 0, dlen);
    if (plus) {
        size_t doff = dlen + 1;
        if (doff == len)
            return url_error(m, "empty driver name", 0, 0, 0, " in");
        for (size_t i = doff; i < len; i++)
            if (!is_name_char((unsigned char)t[i]))
                return bad_char(m, t[i], "driver", doff, len - doff);
    }
    return SQLALC_OK;
}

int sqlalc_url_parse(const char *text, sqlalc_url **out)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_parse: NULL %s", text ? "out" : "text");

    masker m;
    const char *sep = strstr(text, "://");
    size_t name_len = strcspn(text, ":");
    if (!sep || (size_t)(sep - text) != name_len) {
        /* no authority to locate the password in: guess from the first ':' */
        size_t q = strcspn(text, "?");
        masker_init(&m, text, 0, 0, NULL, text[q] ? q + 1 : q);
        return url_error(&m, "missing '://' after the dialect name", 0, 0, 0, " in");
    }

    /* Locate the parts; decode only once every span is known, so that any
     * message can mask the password exactly. */
    size_t len = strlen(text);
    size_t auth = name_len + 3;
    size_t auth_end = auth + strcspn(text + auth, "/?");
    size_t qmark = auth_end + strcspn(text + auth_end, "?");
    int have_q = qmark < len;
    int have_db = auth_end < len && text[auth_end] == '/';

    const char *at = NULL;
    for (size_t i = auth; i < auth_end; i++)
        if (text[i] == '@')
            at = text + i;
    span user = { 0, 0 }, pw = { 0, 0 };
    int have_pw = 0;
    size_t hostport = auth;
    if (at) {
        size_t ui_end = (size_t)(at - text);
        const char *colon = memchr(text + auth, ':', ui_end - auth);
        user.off = auth;
        user.len = (colon ? (size_t)(colon - text) : ui_end) - auth;
        if (colon) {
            have_pw = 1;
            pw.off = (size_t)(colon - text) + 1;
            pw.len = ui_end - pw.off;
        }
        hostport = ui_end + 1;
    }
    masker_init(&m, text, auth, at != NULL, have_pw ? &pw : NULL, have_q ? qmark + 1 : len);

    int rc = check_drivername(&m, name_len);
    if (rc)
        return rc;

    /* host, possibly [bracketed], then :port */
    span host = { hostport, 0 };
    size_t port_colon = auth_end;
    if (hostport < auth_end && text[hostport] == '[') {
        const char *close = memchr(text + hostport, ']', auth_end - hostport);
        if (!close)
            return url_error(&m, "unterminated '['", 0, 0, 0, " in host of");
        host.off = hostport + 1;
        host.len = (size_t)(close - text) - host.off;
        if (host.len == 0)
            return url_error(&m, "empty IPv6 address '[]'", 0, 0, 0, " in host of");
        size_t after = (size_t)(close - text) + 1;
        if (after < auth_end) {
            if (text[after] != ':')
                return url_error(&m, "unexpected text", after, auth_end - after, 1, " after ']' in host of");
            port_colon = after;
        }
    } else {
        const char *colon = memchr(text + hostport, ':', auth_end - hostport);
        port_colon = colon ? (size_t)(colon - text) : auth_end;
        host.len = port_colon - hostport;
    }

    sqlalc_url *u = sqlalc__calloc(1, sizeof *u);
    if (!u)
        return SQLALC_ERR_NOMEM;

    if (port_colon < auth_end)
        rc = parse_port(&m, port_colon + 1, auth_end - port_colon - 1, &u->port);

    const char *plus = memchr(text, '+', name_len);
    size_t dlen = plus ? (size_t)(plus - text) : name_len;
    if (!rc && !(u->dialect = sqlalc__strndup(text, dlen)))
        rc = SQLALC_ERR_NOMEM;
    if (!rc && plus && !(u->driver = sqlalc__strndup(plus + 1, name_len - dlen - 1)))
        rc = SQLALC_ERR_NOMEM;
    if (!rc && at)
        rc = take_part(&m, &user, "username", 0, &u->username);
    if (!rc && have_pw)
        rc = take_part(&m, &pw, "password", 0, &u->password);
    if (!rc && host.len)
        rc = take_part(&m, &host, "host", 0, &u->host);
    if (!rc && have_db) {
        span db = { auth_end + 1, qmark - auth_end - 1 };
        rc = take_part(&m, &db, "database", 0, &u->database);
    }
    if (!rc && have_q)
        rc = parse_query(&m, qmark + 1, u);
    if (rc) {
        sqlalc_url_free(u);
        return rc;
    }
    *out = u;
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */
/* ------------------------------------------------------------------ */

static int check_name(const char *what, const char *s)
{
    if (!*s)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "empty %s name", what);
    for (const char *p = s; *p; p++)
        if (!is_name_char((unsigned char)*p))
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "invalid character '%c' in %s name '%s'", *p, what,
                                    s);
    return SQLALC_OK;
}

int sqlalc_url_create(const char *drivername, sqlalc_url **out)
{
    if (out)
        *out = NULL;
    if (!drivername || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_create: NULL %s",
                                drivername ? "out" : "drivername");
    const char *plus = strchr(drivername, '+');
    size_t dlen = plus ? (size_t)(plus - drivername) : strlen(drivername);
    sqlalc_url *u = sqlalc__calloc(1, sizeof *u);
    if (!u)
        return SQLALC_ERR_NOMEM;
    int rc = SQLALC_OK;
    if (!(u->dialect = sqlalc__strndup(drivername, dlen)))
        rc = SQLALC_ERR_NOMEM;
    if (!rc && plus && !(u->driver = sqlalc__strdup(plus + 1)))
        rc = SQLALC_ERR_NOMEM;
    if (!rc)
        rc = check_name("dialect", u->dialect);
    if (!rc && u->driver)
        rc = check_name("driver", u->driver);
    if (rc) {
        sqlalc_url_free(u);
        return rc;
    }
    *out = u;
    return SQLALC_OK;
}

int sqlalc_url_set(sqlalc_url *url, sqlalc_url_part part, const char *value)
{
    if (!url)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_set: NULL url");
    char **slot;
    switch (part) {
    case SQLALC_URL_DIALECT: slot = &url->dialect; break;
    case SQLALC_URL_DRIVER: slot = &url->driver; break;
    case SQLALC_URL_USERNAME: slot = &url->username; break;
    case SQLALC_URL_PASSWORD: slot = &url->password; break;
    case SQLALC_URL_HOST: slot = &url->host; break;
    case SQLALC_URL_DATABASE: slot = &url->database; break;
    default: return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_set: unknown part %d", (int)part);
    }
    if (part == SQLALC_URL_DIALECT) {
        if (!value)
            return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_set: a URL needs a dialect");
        int rc = check_name("dialect", value);
        if (rc)
            return rc;
    } else if (part == SQLALC_URL_DRIVER && value) {
        int rc = check_name("driver", value);
        if (rc)
            return rc;
    }
    char *copy = NULL;
    if (value && !(copy = sqlalc__strdup(value)))
        return SQLALC_ERR_NOMEM;
    sqlalc_free(*slot);
    *slot = copy;
    return SQLALC_OK;
}

int sqlalc_url_set_port(sqlalc_url *url, int port)
{
    if (!url)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_set_port: NULL url");
    if (port < 0 || port > 65535)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "port %d out of range 1-65535", port);
    url->port = port;
    return SQLALC_OK;
}

int sqlalc_url_query_add(sqlalc_url *url, const char *key, const char *value)
{
    if (!url || !key || !value)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_query_add: NULL %s",
                                !url   ? "url"
                                : !key ? "key"
                                       : "value");
    char *k = sqlalc__strdup(key), *v = k ? sqlalc__strdup(value) : NULL;
    if (!v) {
        sqlalc_free(k);
        return SQLALC_ERR_NOMEM;
    }
    return query_push(url, k, v);
}

size_t sqlalc_url_query_remove(sqlalc_url *url, const char *key)
{
    if (!url || !key)
        return 0;
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < url->nquery; i++) {
        if (!strcmp(url->query[i].key, key)) {
            sqlalc_free(url->query[i].key);
            sqlalc_free(url->query[i].value);
            removed++;
        } else
            url->query[kept++] = url->query[i];
    }
    url->nquery = kept;
    return removed;
}

int sqlalc_url_copy(const sqlalc_url *url, sqlalc_url **out)
{
    if (out)
        *out = NULL;
    if (!url || !out)
        return sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_copy: NULL %s", url ? "out" : "url");
    sqlalc_url *u = sqlalc__calloc(1, sizeof *u);
    if (!u)
        return SQLALC_ERR_NOMEM;
    int rc = SQLALC_OK;
    const char *src[] = { url->dialect, url->driver, url->username, url->password, url->host, url->database };
    char **dst[] = { &u->dialect, &u->driver, &u->username, &u->password, &u->host, &u->database };
    for (size_t i = 0; i < SQLALC_ARRAY_LEN(src) && !rc; i++)
        if (src[i] && !(*dst[i] = sqlalc__strdup(src[i])))
            rc = SQLALC_ERR_NOMEM;
    u->port = url->port;
    for (size_t i = 0; i < url->nquery && !rc; i++)
        rc = sqlalc_url_query_add(u, url->query[i].key, url->query[i].value);
    if (rc) {
        sqlalc_url_free(u);
        return rc;
    }
    *out = u;
    return SQLALC_OK;
}

/* ------------------------------------------------------------------ */
/* Getters                                                             */
/* ------------------------------------------------------------------ */

const char *sqlalc_url_dialect(const sqlalc_url *url)
{
    return url ? url->dialect : NULL;
}
const char *sqlalc_url_driver(const sqlalc_url *url)
{
    return url ? url->driver : NULL;
}
const char *sqlalc_url_username(const sqlalc_url *url)
{
    return url ? url->username : NULL;
}
const char *sqlalc_url_password(const sqlalc_url *url)
{
    return url ? url->password : NULL;
}
const char *sqlalc_url_host(const sqlalc_url *url)
{
    return url ? url->host : NULL;
}
int sqlalc_url_port(const sqlalc_url *url)
{
    return url ? url->port : 0;
}
const char *sqlalc_url_database(const sqlalc_url *url)
{
    return url ? url->database : NULL;
}
size_t sqlalc_url_query_count(const sqlalc_url *url)
{
    return url ? url->nquery : 0;
}

const char *sqlalc_url_query_key(const sqlalc_url *url, size_t i)
{
    return url && i < url->nquery ? url->query[i].key : NULL;
}

const char *sqlalc_url_query_value(const sqlalc_url *url, size_t i)
{
    return url && i < url->nquery ? url->query[i].value : NULL;
}

const char *sqlalc_url_query_get(const sqlalc_url *url, const char *key)
{
    if (!url || !key)
        return NULL;
    for (size_t i = 0; i < url->nquery; i++)
        if (!strcmp(url->query[i].key, key))
            return url->query[i].value;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* Percent-encode s: bytes in `special`, controls, space and '%' always;
 * query mode is Python's quote_plus (all but [A-Za-z0-9_.~-], space as
 * '+'), so a rendered query matches SQLAlchemy's. */
static void put_encoded(sqlalc_buf *b, const char *s, size_t n, const char *special, int query)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int enc;
        if (query) {
            if (c == ' ') {
                sqlalc_buf_putc(b, '+');
                continue;
            }
            enc = !(is_name_char(c) || c == '.' || c == '-' || c == '~');
        } else
            enc = c <= 0x20 || c == 0x7f || c == '%' || strchr(special, c);
        if (enc) {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            sqlalc_buf_append(b, e, 3);
        } else
            sqlalc_buf_putc(b, (char)c);
    }
}

/*
 * An ODBC connection string, query-encoded, with the values of PWD /
 * Password shown as "***".  Attributes are "key=value;" where a value may
 * be {braced} (with "}}" for a '}') and so hold ';'.
 */
static void put_odbc_masked(sqlalc_buf *out, const char *s)
{
    const char *p = s;
    while (*p) {
        const char *eq = p;
        while (*eq && *eq != '=' && *eq != ';')
            eq++;
        if (*eq != '=') { /* no value: copy the piece as is */
            size_t n = (size_t)(eq - p) + (*eq ? 1 : 0);
            put_encoded(out, p, n, "", 1);
            p += n;
            continue;
        }
        const char *k = p, *ke = eq;
        while (k < ke && (*k == ' ' || *k == '\t'))
            k++;
        while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
            ke--;
        const char *v = eq + 1, *ve = v;
        while (*ve == ' ' || *ve == '\t')
            ve++;
        if (*ve == '{') {
            for (ve++; *ve; ve++) {
                if (*ve == '}') {
                    if (ve[1] != '}') {
                        ve++;
                        break;
                    }
                    ve++;
                }
            }
        }
        while (*ve && *ve != ';')
            ve++;
        put_encoded(out, p, (size_t)(v - p), "", 1);
        if (key_is_secret(k, (size_t)(ke - k)))
            sqlalc_buf_puts(out, "***");
        else
            put_encoded(out, v, (size_t)(ve - v), "", 1);
        if (*ve == ';') {
            put_encoded(out, ve, 1, "", 1);
            ve++;
        }
        p = ve;
    }
}

char *sqlalc_url_render(const sqlalc_url *url, int mask_password)
{
    if (!url) {
        sqlalc_error_set(SQLALC_ERR_ARGUMENT, "sqlalc_url_render: NULL url");
        return NULL;
    }
    sqlalc_buf b = SQLALC_BUF_INIT;
    sqlalc_buf_puts(&b, url->dialect ? url->dialect : "");
    if (url->driver) {
        sqlalc_buf_putc(&b, '+');
        sqlalc_buf_puts(&b, url->driver);
    }
    sqlalc_buf_puts(&b, "://");
    if (url->username || url->password) { /* a password alone gets an empty username */
        if (url->username)
            put_encoded(&b, url->username, strlen(url->username), ":@/?", 0);
        if (url->password) {
            sqlalc_buf_putc(&b, ':');
            if (mask_password)
                sqlalc_buf_puts(&b, "***");
            else
                put_encoded(&b, url->password, strlen(url->password), ":@/?", 0);
        }
        sqlalc_buf_putc(&b, '@');
    }
    if (url->host && *url->host) {
        if (strchr(url->host, ':')) {
            sqlalc_buf_putc(&b, '[');
            put_encoded(&b, url->host, strlen(url->host), "@/?[]", 0);
            sqlalc_buf_putc(&b, ']');
        } else
            put_encoded(&b, url->host, strlen(url->host), ":@/?[]", 0);
    }
    if (url->port)
        sqlalc_buf_printf(&b, ":%d", url->port);
    if (url->database) {
        sqlalc_buf_putc(&b, '/');
        put_encoded(&b, url->database, strlen(url->database), "?", 0);
    }
    for (size_t i = 0; i < url->nquery; i++) {
        const url_qparam *q = &url->query[i];
        sqlalc_buf_putc(&b, i ? '&' : '?');
        put_encoded(&b, q->key, strlen(q->key), "", 1);
        sqlalc_buf_putc(&b, '=');
        if (mask_password && key_is_secret(q->key, strlen(q->key)))
            sqlalc_buf_puts(&b, "***");
        else if (mask_password && !sqlalc__strcasecmp(q->key, "odbc_connect"))
            put_odbc_masked(&b, q->value);
        else
            put_encoded(&b, q->value, strlen(q->value), "", 1);
    }
    return sqlalc_buf_detach(&b);
}
