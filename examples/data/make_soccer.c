/*
 * make_soccer PATH — write a small synthetic football database shaped like
 * Kaggle's "European Soccer Database" (the one the SQLAlchemy lesson uses):
 * the tables Country, League, Team, Player and Match with the real
 * dataset's column names and types, about 3,400 rows.  The data is made up
 * but deterministic (a fixed-seed PRNG), so every run writes the same
 * database and the examples can check their answers.  PATH is overwritten.
 *
 * Everything is written through libsqlalc: the DDL with sqlalc_conn_execute_sql,
 * the rows with sqlalc_conn_execute_sql_many, all in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc.h>

/* ------------------------------------------------------------------ */
/* Deterministic randomness: splitmix64 with a fixed seed.             */
/* ------------------------------------------------------------------ */

static uint64_t rng_state = 0x50CCE12008ULL;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
static int rng_int(int lo, int hi)
{
    return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}
static double rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

/* Goals: Poisson by Knuth's product method; l is exp(-lambda) (given as a
 * constant, so the program needs no libm). */
static int rng_poisson(double l)
{
    double p = 1.0;
    int k = 0;
    do {
        k++;
        p *= rng_unit();
    } while (p > l);
    return k - 1;
}

/* ------------------------------------------------------------------ */
/* Reference data                                                      */
/* ------------------------------------------------------------------ */

#define NLEAGUES 11
#define TEAMS_PER_LEAGUE 8
#define NTEAMS (NLEAGUES * TEAMS_PER_LEAGUE)
#define NPLAYERS 1400
#define NSEASONS 3
#define STAGES (2 * (TEAMS_PER_LEAGUE - 1))
#define MATCHES_PER_STAGE (TEAMS_PER_LEAGUE / 2)
#define NMATCHES (NLEAGUES * NSEASONS * STAGES * MATCHES_PER_STAGE)

/* Country and league ids are the real dataset's. */
static const struct {
    int id;
    const char *country, *league;
    const char *teams[TEAMS_PER_LEAGUE][2]; /* long name, short name */
} leagues[NLEAGUES] = {
    { 1,
      "Belgium",
      "Belgium Jupiler League",
      { { "KRC Genk", "GEN" },
        { "Club Brugge KV", "CLB" },
        { "RSC Anderlecht", "AND" },
        { "Standard de Liège", "STL" },
        { "KAA Gent", "GNT" },
        { "Sporting Charleroi", "CHA" },
        { "KV Mechelen", "MEC" },
        { "SV Zulte-Waregem", "ZUL" } } },
    { 1729,
      "England",
      "England Premier League",
      { { "Manchester United", "MUN" },
        { "Chelsea", "CHE" },
        { "Arsenal", "ARS" },
        { "Liverpool", "LIV" },
        { "Tottenham Hotspur", "TOT" },
        { "Everton", "EVE" },
        { "Aston Villa", "AVL" },
        { "Newcastle United", "NEW" } } },
    { 4769,
      "France",
      "France Ligue 1",
      { { "Olympique Lyonnais", "LYO" },
        { "Olympique de Marseille", "MAR" },
        { "Paris Saint-Germain", "PSG" },
        { "Girondins de Bordeaux", "BOR" },
        { "LOSC Lille", "LIL" },
        { "AS Saint-Étienne", "ETI" },
        { "Stade Rennais FC", "REN" },
        { "AS Monaco", "MON" } } },
    { 7809,
      "Germany",
      "Germany 1. Bundesliga",
      { { "FC Bayern München", "BMU" },
        { "Borussia Dortmund", "DOR" },
        { "Bayer 04 Leverkusen", "LEV" },
        { "FC Schalke 04", "S04" },
        { "Borussia Mönchengladbach", "GLA" },
        { "VfB Stuttgart", "STU" },
        { "1. FC Köln", "KOL" },
        { "SV Werder Bremen", "BRE" } } },
    { 10257,
      "Italy",
      "Italy Serie A",
      { { "Juventus", "JUV" },
        { "Milan", "ACM" },
        { "Inter", "INT" },
        { "Roma", "ROM" },
        { "Napoli", "NAP" },
        { "Genoa", "GEN" },
        { "Lazio", "LAZ" },
        { "Fiorentina", "FIO" } } },
    { 13274,
      "Netherlands",
      "Netherlands Eredivisie",
      { { "Ajax", "AJA" },
        { "PSV", "PSV" },
        { "Feyenoord", "FEY" },
        { "AZ", "AZ" },
        { "FC Twente", "TWE" },
        { "FC Utrecht", "UTR" },
        { "SC Heerenveen", "HEE" },
        { "Vitesse", "VIT" } } },
    { 15722,
      "Poland",
      "Poland Ekstraklasa",
      { { "Legia Warszawa", "LEG" },
        { "Lech Poznań", "POZ" },
        { "Wisła Kraków", "WIS" },
        { "Śląsk Wrocław", "SLA" },
        { "Górnik Zabrze", "GOR" },
        { "Jagiellonia Białystok", "BIA" },
        { "Lechia Gdańsk", "LGD" },
        { "Ruch Chorzów", "CHO" } } },
    { 17642,
      "Portugal",
      "Portugal Liga ZON Sagres",
      { { "SL Benfica", "BEN" },
        { "FC Porto", "POR" },
        { "Sporting CP", "SCP" },
        { "SC Braga", "BRA" },
        { "Vitória Guimarães", "GUI" },
        { "CS Marítimo", "MAR" },
        { "CD Nacional", "NAC" },
        { "Académica de Coimbra", "ACA" } } },
    { 19694,
      "Scotland",
      "Scotland Premier League",
      { { "Celtic", "CEL" },
        { "Rangers", "RAN" },
        { "Aberdeen", "ABE" },
        { "Heart of Midlothian", "HEA" },
        { "Hibernian", "HIB" },
        { "Dundee United", "DUN" },
        { "Motherwell", "MOT" },
        { "Kilmarnock", "KIL" } } },
    { 21518,
      "Spain",
      "Spain LIGA BBVA",
      { { "FC Barcelona", "BAR" },
        { "Real Madrid CF", "REA" },
        { "Atlético Madrid", "AMA" },
        { "Valencia CF", "VAL" },
        { "Sevilla FC", "SEV" },
        { "Athletic Club de Bilbao", "BIL" },
        { "Villarreal CF", "VIL" },
        { "RC Deportivo de La Coruña", "COR" } } },
    { 24558,
      "Switzerland",
      "Switzerland Super League",
      { { "FC Basel", "BAS" },
        { "BSC Young Boys", "YB" },
        { "FC Zürich", "ZUR" },
        { "Grasshopper Club Zürich", "GRA" },
        { "FC Sion", "SIO" },
        { "FC Luzern", "LUZ" },
        { "FC St. Gallen", "GAL" },
        { "Neuchâtel Xamax", "XAM" } } },
};

static const char *const first_names[] = {
    "Aaron",    "Adrián",    "Alessandro", "Álvaro", "André",     "Antoine", "Bastian", "Bruno",
    "César",    "Cristiano", "Daniel",     "Dávid",  "Émile",     "Étienne", "Fábio",   "Federico",
    "François", "Gaël",      "Gonzalo",    "Héctor", "Iñaki",     "Jakub",   "Jérôme",  "João",
    "Jürgen",   "Kévin",     "Łukasz",     "Marco",  "Mesut",     "Miguel",  "N'Golo",  "Nicolás",
    "Olivier",  "Paweł",     "Raphaël",    "Rúben",  "Sébastien", "Søren",   "Thomas",  "Zoltán",
};

static const char *const last_names[] = {
    "Alves",    "Benítez",   "Błaszczykowski", "Cissé",     "D'Alessandro", "Dembélé", "Di María",
    "Džeko",    "Fernández", "García",         "Gonçalves", "Gómez",        "Götze",   "Hernández",
    "Ibáñez",   "Jiménez",   "Kanté",          "Kowalczyk", "Lewandowski",  "Müller",  "N'Diaye",
    "Núñez",    "O'Brien",   "O'Neil",         "Ødegaard",  "Pérez",        "Ribéry",  "Rodríguez",
    "Schürrle", "Sánchez",   "Szczęsny",       "Tomás",     "Varela",       "Vidić",   "Wójcik",
    "Yıldız",   "Zabaleta",  "Žižek",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Schema: the real dataset's tables (its Match has many more columns). */
/* ------------------------------------------------------------------ */

static const char *const ddl[] = {
    "CREATE TABLE \"Country\" (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  name TEXT UNIQUE\n)",
    "CREATE TABLE \"League\" (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  country_id INTEGER,\n"
    "  name TEXT UNIQUE,\n"
    "  FOREIGN KEY (country_id) REFERENCES \"Country\" (id)\n)",
    "CREATE TABLE \"Team\" (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  team_api_id INTEGER UNIQUE,\n"
    "  team_fifa_api_id INTEGER,\n"
    "  team_long_name TEXT,\n"
    "  team_short_name TEXT\n)",
    "CREATE TABLE \"Player\" (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  player_api_id INTEGER UNIQUE,\n"
    "  player_name TEXT,\n"
    "  player_fifa_api_id INTEGER UNIQUE,\n"
    "  birthday TEXT,\n"
    "  height FLOAT,\n" /* Kaggle declares INTEGER but stores cm with decimals; FLOAT keeps it portable */
    "  weight INTEGER\n)",
    "CREATE TABLE \"Match\" (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  country_id INTEGER,\n"
    "  league_id INTEGER,\n"
    "  season TEXT,\n"
    "  stage INTEGER,\n"
    "  date TEXT,\n"
    "  match_api_id INTEGER UNIQUE,\n"
    "  home_team_api_id INTEGER,\n"
    "  away_team_api_id INTEGER,\n"
    "  home_team_goal INTEGER,\n"
    "  away_team_goal INTEGER,\n"
    "  FOREIGN KEY (country_id) REFERENCES \"Country\" (id),\n"
    "  FOREIGN KEY (league_id) REFERENCES \"League\" (id),\n"
    "  FOREIGN KEY (home_team_api_id) REFERENCES \"Team\" (team_api_id),\n"
    "  FOREIGN KEY (away_team_api_id) REFERENCES \"Team\" (team_api_id)\n)",
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static int fail(const char *what)
{
    const sqlalc_error *e = sqlalc_error_last();
    fprintf(stderr, "make_soccer: %s: %s\n", what, e->message);
    return 1;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The URL of a file path: sqlite:/// + path, with the characters a URL
 * gives a meaning to percent-encoded. */
static char *sqlite_url(const char *path)
{
    size_t n = strlen(path);
    char *url = malloc(10 + 3 * n + 1), *o = url;
    if (!url)
        return NULL;
    o += sprintf(o, "sqlite:///");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p == ' ')
            o += sprintf(o, "%%%02X", (unsigned char)*p);
        else
            *o++ = *p;
    }
    *o = 0;
    return url;
}

/* Parameter sets: nsets rows of nper parameters, one flat array. */
typedef struct {
    sqlalc_param *items;
    sqlalc_params *sets;
    size_t nsets, nper;
} batch;

static int batch_init(batch *b, size_t nsets, size_t nper)
{
    b->items = calloc(nsets * nper, sizeof *b->items);
    b->sets = calloc(nsets, sizeof *b->sets);
    b->nsets = nsets;
    b->nper = nper;
    if (!b->items || !b->sets)
        return -1;
    for (size_t i = 0; i < nsets; i++) {
        b->sets[i].count = nper;
        b->sets[i].items = b->items + i * nper;
    }
    return 0;
}

static sqlalc_param *batch_row(batch *b, size_t i)
{
    return b->items + i * b->nper;
}

static void batch_free(batch *b)
{
    free(b->items);
    free(b->sets);
}

/* ------------------------------------------------------------------ */
/* Generation                                                          */
/* ------------------------------------------------------------------ */

static int team_api_id(int t)
{
    return 8000 + 37 * t;
}

static int insert_countries_leagues(sqlalc_conn *conn)
{
    batch c, l;
    int rc = -1;
    if (batch_init(&c, NLEAGUES, 2) || batch_init(&l, NLEAGUES, 3))
        goto out;
    for (size_t i = 0; i < NLEAGUES; i++) {
        sqlalc_param *p = batch_row(&c, i);
        p[0] = SQLALC_P_INT("id", leagues[i].id);
        p[1] = SQLALC_P_TEXT("name", leagues[i].country);
        p = batch_row(&l, i);
        p[0] = SQLALC_P_INT("id", leagues[i].id);
        p[1] = SQLALC_P_INT("country_id", leagues[i].id);
        p[2] = SQLALC_P_TEXT("name", leagues[i].league);
    }
    if (sqlalc_conn_execute_sql_many(conn, "INSERT INTO \"Country\" (id, name) VALUES (:id, :name)", c.sets,
                                     c.nsets, NULL) != SQLALC_OK) {
        rc = fail("inserting countries");
        goto out;
    }
    if (sqlalc_conn_execute_sql_many(
            conn, "INSERT INTO \"League\" (id, country_id, name) VALUES (:id, :country_id, :name)", l.sets,
            l.nsets, NULL) != SQLALC_OK) {
        rc = fail("inserting leagues");
        goto out;
    }
    rc = 0;
out:
    batch_free(&c);
    batch_free(&l);
    return rc;
}

static int insert_teams(sqlalc_conn *conn)
{
    batch b;
    int rc = -1;
    if (batch_init(&b, NTEAMS, 5))
        goto out;
    for (int t = 0; t < NTEAMS; t++) {
        sqlalc_param *p = batch_row(&b, (size_t)t);
        p[0] = SQLALC_P_INT("id", t + 1);
        p[1] = SQLALC_P_INT("api", team_api_id(t));
        /* About one team in eight has no FIFA id, as in the real data. */
        p[2] = rng_int(0, 7) == 0 ? SQLALC_P_NULL("fifa")
                                  : SQLALC_P_INT("fifa", 100000 + 211 * t + rng_int(0, 200));
        p[3] = SQLALC_P_TEXT("long", leagues[t / TEAMS_PER_LEAGUE].teams[t % TEAMS_PER_LEAGUE][0]);
        p[4] = SQLALC_P_TEXT("short", leagues[t / TEAMS_PER_LEAGUE].teams[t % TEAMS_PER_LEAGUE][1]);
    }
    rc = sqlalc_conn_execute_sql_many(
             conn,
             "INSERT INTO \"Team\" (id, team_api_id, team_fifa_api_id, team_long_name, "
             "team_short_name) VALUES (:id, :api, :fifa, :long, :short)",
             b.sets, b.nsets, NULL) == SQLALC_OK
             ? 0
             : fail("inserting teams");
out:
    batch_free(&b);
    return rc;
}

static int insert_players(sqlalc_conn *conn)
{
    batch b;
    int rc = -1;
    char(*names)[64] = calloc(NPLAYERS, sizeof *names);
    char(*birthdays)[24] = calloc(NPLAYERS, sizeof *birthdays);
    if (!names || !birthdays || batch_init(&b, NPLAYERS, 7))
        goto out;
    for (int i = 0; i < NPLAYERS; i++) {
        snprintf(names[i], sizeof names[i], "%s %s", first_names[rng_int(0, (int)COUNT(first_names) - 1)],
                 last_names[rng_int(0, (int)COUNT(last_names) - 1)]);
        snprintf(birthdays[i], sizeof birthdays[i], "%04d-%02d-%02d 00:00:00", rng_int(1976, 1996),
                 rng_int(1, 12), rng_int(1, 28));
        /* Heights come from inches (the source was imperial): 157.48 cm
         * and up; weights in pounds, heavier with height. */
        int inches = rng_int(62, 79);
        double height = inches * 254 / 100.0;
        int weight = 130 + (inches - 62) * 4 + rng_int(-15, 15);
        sqlalc_param *p = batch_row(&b, (size_t)i);
        p[0] = SQLALC_P_INT("id", i + 1);
        p[1] = SQLALC_P_INT("api", 30000 + 13 * i + rng_int(0, 12));
        p[2] = SQLALC_P_TEXT("name", names[i]);
        p[3] = SQLALC_P_INT("fifa", 150000 + 7 * i + rng_int(0, 6));
        p[4] = SQLALC_P_TEXT("birthday", birthdays[i]);
        p[5] = SQLALC_P_FLOAT("height", height);
        p[6] = SQLALC_P_INT("weight", weight);
    }
    rc = sqlalc_conn_execute_sql_many(
             conn,
             "INSERT INTO \"Player\" (id, player_api_id, player_name, player_fifa_api_id, "
             "birthday, height, weight) VALUES (:id, :api, :name, :fifa, :birthday, :height, "
             ":weight)",
             b.sets, b.nsets, NULL) == SQLALC_OK
             ? 0
             : fail("inserting players");
out:
    batch_free(&b);
    free(names);
    free(birthdays);
    return rc;
}

static int insert_matches(sqlalc_conn *conn)
{
    static const char *const seasons[NSEASONS] = { "2008/2009", "2009/2010", "2010/2011" };
    batch b;
    int rc = -1;
    char(*dates)[24] = calloc(NMATCHES, sizeof *dates);
    if (!dates || batch_init(&b, NMATCHES, 11))
        goto out;
    size_t m = 0;
    for (int lg = 0; lg < NLEAGUES; lg++) {
        for (int s = 0; s < NSEASONS; s++) {
            long start = days_from_civil(2008 + s, 8, 16);
            for (int stage = 1; stage <= STAGES; stage++) {
                /* Round robin by the circle method: team 0 stays, the others
                 * rotate; the second half of the season swaps home and away. */
                int round = (stage - 1) % (TEAMS_PER_LEAGUE - 1);
                int y, mo, d;
                civil_from_days(start + 7L * (stage - 1) + rng_int(0, 2), &y, &mo, &d);
                for (int k = 0; k < MATCHES_PER_STAGE; k++) {
                    int a, h;
                    if (k == 0) {
                        a = 0;
                        h = 1 + round;
                    } else {
                        a = 1 + (round + k) % (TEAMS_PER_LEAGUE - 1);
                        h = 1 + (round + TEAMS_PER_LEAGUE - 1 - k) % (TEAMS_PER_LEAGUE - 1);
                    }
                    if ((round + k) % 2)
                        a ^= h, h ^= a, a ^= h;
                    if (stage > TEAMS_PER_LEAGUE - 1)
                        a ^= h, h ^= a, a ^= h;
                    snprintf(dates[m], sizeof dates[m], "%04d-%02d-%02d 00:00:00", y, mo, d);
                    sqlalc_param *p = batch_row(&b, m);
                    p[0] = SQLALC_P_INT("id", (int64_t)m + 1);
                    p[1] = SQLALC_P_INT("country", leagues[lg].id);
                    p[2] = SQLALC_P_INT("league", leagues[lg].id);
                    p[3] = SQLALC_P_TEXT("season", seasons[s]);
                    p[4] = SQLALC_P_INT("stage", stage);
                    p[5] = SQLALC_P_TEXT("date", dates[m]);
                    p[6] = SQLALC_P_INT("api", 480000 + 3 * (int)m + rng_int(0, 2));
                    p[7] = SQLALC_P_INT("home", team_api_id(lg * TEAMS_PER_LEAGUE + h));
                    p[8] = SQLALC_P_INT("away", team_api_id(lg * TEAMS_PER_LEAGUE + a));
                    p[9] = SQLALC_P_INT("hg", rng_poisson(0.22313016014842982) /* lambda 1.5 */);
                    p[10] = SQLALC_P_INT("ag", rng_poisson(0.33287108369807955) /* lambda 1.1 */);
                    m++;
                }
            }
        }
    }
    rc = sqlalc_conn_execute_sql_many(
             conn,
             "INSERT INTO \"Match\" (id, country_id, league_id, season, stage, date, match_api_id, "
             "home_team_api_id, away_team_api_id, home_team_goal, away_team_goal) VALUES (:id, "
             ":country, :league, :season, :stage, :date, :api, :home, :away, :hg, :ag)",
             b.sets, b.nsets, NULL) == SQLALC_OK
             ? 0
             : fail("inserting matches");
out:
    batch_free(&b);
    free(dates);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_soccer PATH\n");
        return 2;
    }
    /* Overwrite: remove the old file and any journal SQLite left. */
    const char *path = argv[1];
    char side[4096];
    remove(path);
    snprintf(side, sizeof side, "%s-journal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);

    char *url = sqlite_url(path);
    sqlalc_engine *eng = NULL;
    sqlalc_conn *conn = NULL;
    sqlalc_tx *tx = NULL;
    int status = 1;
    if (!url) {
        fprintf(stderr, "make_soccer: out of memory\n");
        return 1;
    }
    if (sqlalc_engine_create(url, NULL, &eng) != SQLALC_OK) {
        fail("creating the engine");
        goto out;
    }
    if (sqlalc_engine_connect(eng, &conn) != SQLALC_OK) {
        fail("connecting");
        goto out;
    }
    if (sqlalc_conn_begin(conn, &tx) != SQLALC_OK) {
        fail("beginning the transaction");
        goto out;
    }
    for (size_t i = 0; i < COUNT(ddl); i++)
        if (sqlalc_conn_execute_sql(conn, ddl[i], NULL, NULL) != SQLALC_OK) {
            fail("creating the tables");
            goto out;
        }
    if (insert_countries_leagues(conn) || insert_teams(conn) || insert_players(conn) || insert_matches(conn))
        goto out;
    int rc = sqlalc_tx_commit(tx);
    tx = NULL;
    if (rc != SQLALC_OK) {
        fail("committing");
        goto out;
    }
    printf("make_soccer: wrote %s (%d countries, %d leagues, %d teams, %d players, %d matches)\n", path,
           NLEAGUES, NLEAGUES, NTEAMS, NPLAYERS, NMATCHES);
    status = 0;
out:
    if (tx)
        sqlalc_tx_rollback(tx);
    sqlalc_conn_close(conn);
    sqlalc_engine_free(eng);
    free(url);
    return status;
}
