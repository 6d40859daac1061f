/*
 * 05_orm — the lesson's ORM part, in C: Department, Employee and their
 * association DepartmentEmployee mapped to plain structs, a session that
 * adds and commits them, queries returning objects, a many-to-many
 * relationship kept in step on both sides, a join + GROUP BY + HAVING
 * query; then automap over the football database of example 01.
 *
 *   ./make_soccer soccer.sqlite && ./05_orm [URL]
 *
 * URL defaults to sqlite:///soccer.sqlite.  The lesson's tables are made
 * there and dropped at the end.  The program exits non-zero as soon as
 * anything does not go as the lesson says.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlalc.h>

#define CHECK(call)                                                                                        \
    do {                                                                                                   \
        int rc_ = (call);                                                                                  \
        if (rc_ != SQLALC_OK) {                                                                            \
            fprintf(stderr, "05_orm: %s failed: %s: %s\n", #call, sqlalc_code_name(rc_), sqlalc_errmsg()); \
            exit(1);                                                                                       \
        }                                                                                                  \
    } while (0)

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "05_orm: unexpected: %s\n", what);
        exit(1);
    }
}

static void section(const char *title)
{
    printf("\n== %s ==\n", title);
}

/* class Department(Base): id, name, employees = relationship(secondary=...) */
struct department {
    int64_t id;
    char *name;
    sqlalc_orm_list employees;
};

/* class Employee(Base): id, name, departments = relationship(secondary=...) */
struct employee {
    int64_t id;
    char *name;
    sqlalc_orm_list departments;
};

/* class DepartmentEmployee(Base): the association, mapped too */
struct department_employee {
    int64_t department_id;
    int64_t employee_id;
};

static const sqlalc_orm_field department_fields[] = {
    SQLALC_ORM_FIELD(struct department, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct department, name, SQLALC_ORM_TEXT, "name"),
};
static const sqlalc_orm_field employee_fields[] = {
    SQLALC_ORM_FIELD(struct employee, id, SQLALC_ORM_INT64, "id"),
    SQLALC_ORM_FIELD(struct employee, name, SQLALC_ORM_TEXT, "name"),
};
static const sqlalc_orm_field link_fields[] = {
    SQLALC_ORM_FIELD(struct department_employee, department_id, SQLALC_ORM_INT64, "department_id"),
    SQLALC_ORM_FIELD(struct department_employee, employee_id, SQLALC_ORM_INT64, "employee_id"),
};

static void print_departments(struct employee *e)
{
    sqlalc_orm_list *ds;
    CHECK(sqlalc_orm_related(e, "departments", &ds, NULL)); /* loads on first access */
    printf("%s works in:", e->name);
    for (size_t i = 0; i < ds->count; i++)
        printf(" %s", ((struct department *)ds->items[i])->name);
    printf("\n");
}

/* The lesson; returns the metadata of its tables (dropped by main). */
static sqlalc_metadata *lesson(sqlalc_engine *eng)
{
    sqlalc_metadata *md = sqlalc_metadata_new();
    sqlalc_table *department =
        sqlalc_table_new(md, "department", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(50), 0));
    sqlalc_table *employee =
        sqlalc_table_new(md, "employee", sqlalc_column("id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY),
                         sqlalc_column("name", sqlalc_type_string(50), 0));
    sqlalc_table *link =
        sqlalc_table_new(md, "department_employee",
                         sqlalc_column("department_id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY,
                                       sqlalc_foreign_key("department.id")),
                         sqlalc_column("employee_id", sqlalc_type_integer(), SQLALC_PRIMARY_KEY,
                                       sqlalc_foreign_key("employee.id")));
    expect(department && employee && link, "the lesson's tables build");
    sqlalc_metadata_drop_all(md, eng, SQLALC_CHECKFIRST); /* a run that stopped half-way */
    CHECK(sqlalc_metadata_create_all(md, eng, 0));

    section("Mapping");
    sqlalc_orm_registry *reg = sqlalc_orm_registry_new();
    sqlalc_orm_mapper *Department =
        sqlalc_orm_map(reg, "Department", department, sizeof(struct department), department_fields, 2);
    sqlalc_orm_mapper *Employee =
        sqlalc_orm_map(reg, "Employee", employee, sizeof(struct employee), employee_fields, 2);
    sqlalc_orm_mapper *DepartmentEmployee =
        sqlalc_orm_map(reg, "DepartmentEmployee", link, sizeof(struct department_employee), link_fields, 2);
    expect(Department && Employee && DepartmentEmployee, "the mappers build");
    /* employees = relationship("Employee", secondary="department_employee", back_populates=...) */
    sqlalc_orm_rel_options o = { SQLALC_ORM_REL_OPTIONS_VERSION, link, "departments", 0, NULL };
    CHECK(sqlalc_orm_relationship(Department, "employees", SQLALC_ORM_MANY_TO_MANY, Employee,
                                  offsetof(struct department, employees), &o));
    o.back_populates = "employees";
    CHECK(sqlalc_orm_relationship(Employee, "departments", SQLALC_ORM_MANY_TO_MANY, Department,
                                  offsetof(struct employee, departments), &o));
    for (size_t i = 0; i < sqlalc_orm_registry_count(reg); i++) {
        sqlalc_orm_mapper *m = sqlalc_orm_registry_mapper_at(reg, i);
        printf("%s -> table %s\n", sqlalc_orm_mapper_name(m), sqlalc_table_name(sqlalc_orm_mapper_table(m)));
    }

    section("Add dave to IT and commit");
    sqlalc_session *s;
    CHECK(sqlalc_session_new(eng, &s));
    struct department *it = sqlalc_session_new_object(s, Department);
    it->name = sqlalc_orm_strdup("IT");
    struct employee *dave = sqlalc_session_new_object(s, Employee);
    dave->name = sqlalc_orm_strdup("dave");
    CHECK(sqlalc_orm_append(it, "employees", dave));
    expect(dave->departments.count == 1 && dave->departments.items[0] == it, "the back-reference follows");
    CHECK(sqlalc_session_commit(s));
    printf("IT has id %lld, dave has id %lld\n", (long long)it->id, (long long)dave->id);
    sqlalc_session_free(s);

    section("Query dave and his departments");
    CHECK(sqlalc_session_new(eng, &s));
    struct employee *d;
    CHECK(sqlalc_orm_query_one(
        sqlalc_orm_query_filter(sqlalc_session_query(s, Employee),
                                sqlalc_eq(sqlalc_orm_col(Employee, "name"), sqlalc_str("dave"))),
        (void **)&d));
    print_departments(d);
    expect(d->departments.count == 1, "dave is in one department");

    section("Add mary to Financial, then to IT");
    struct department *financial = sqlalc_session_new_object(s, Department);
    financial->name = sqlalc_orm_strdup("Financial");
    struct employee *mary = sqlalc_session_new_object(s, Employee);
    mary->name = sqlalc_orm_strdup("mary");
    CHECK(sqlalc_orm_append(financial, "employees", mary));
    CHECK(sqlalc_session_commit(s));
    struct department *it2;
    CHECK(sqlalc_orm_query_one(
        sqlalc_orm_query_filter_by(sqlalc_session_query(s, Department), "name", SQLALC_TEXTV("IT")),
        (void **)&it2));
    CHECK(sqlalc_orm_append(it2, "employees", mary)); /* IT appears in mary's departments */
    CHECK(sqlalc_session_commit(s));
    print_departments(mary);
    expect(mary->departments.count == 2, "mary is in two departments");
    sqlalc_session_free(s);

    section("Employees in more than one department");
    CHECK(sqlalc_session_new(eng, &s));
    /* session.query(Employee).join(DepartmentEmployee).group_by(Employee.id)
     *        .having(func.count(DepartmentEmployee.department_id) > 1) */
    sqlalc_orm_list many = { 0, NULL, 0 };
    CHECK(sqlalc_orm_query_all(
        sqlalc_orm_query_having(
            sqlalc_orm_query_group_by(
                sqlalc_orm_query_join(sqlalc_session_query(s, Employee), sqlalc_table_expr(link), NULL),
                SQLALC_EXPRS(sqlalc_orm_col(Employee, "id"), sqlalc_orm_col(Employee, "name"))),
            sqlalc_gt(sqlalc_count(sqlalc_orm_col(DepartmentEmployee, "department_id")), sqlalc_int(1))),
        &many));
    for (size_t i = 0; i < many.count; i++)
        printf("%s\n", ((struct employee *)many.items[i])->name);
    expect(many.count == 1 && !strcmp(((struct employee *)many.items[0])->name, "mary"), "only mary");
    sqlalc_orm_list_clear(&many);
    sqlalc_session_free(s);

    sqlalc_orm_registry_free(reg);
    return md;
}

/* automap_base().prepare(autoload_with=engine) over the football database */
static void automap(sqlalc_engine *eng)
{
    section("Automap: the database's classes");
    sqlalc_orm_registry *reg = sqlalc_orm_registry_new();
    CHECK(sqlalc_orm_automap(reg, eng, NULL));
    for (size_t i = 0; i < sqlalc_orm_registry_count(reg); i++) {
        sqlalc_orm_mapper *m = sqlalc_orm_registry_mapper_at(reg, i);
        static const char *const kinds[] = { "", "many-to-one", "one-to-many", "one-to-one", "many-to-many" };
        printf("%s:", sqlalc_orm_mapper_name(m));
        for (size_t r = 0; r < sqlalc_orm_mapper_rel_count(m); r++)
            printf(" %s (%s)", sqlalc_orm_mapper_rel_name(m, r), kinds[sqlalc_orm_mapper_rel_kind(m, r)]);
        printf("\n");
    }
    sqlalc_orm_mapper *Team = sqlalc_orm_registry_mapper(reg, "Team");
    if (!Team) {
        printf("(no Team table here: the football walk needs example 01's database)\n");
        sqlalc_orm_registry_free(reg);
        return;
    }

    section("Automap: team -> matches");
    sqlalc_session *s;
    CHECK(sqlalc_session_new(eng, &s));
    sqlalc_orm_list teams = { 0, NULL, 0 };
    /* three teams, their home matches loaded with one more query */
    CHECK(sqlalc_orm_query_all(
        sqlalc_orm_query_selectin(
            sqlalc_orm_query_limit(
                sqlalc_orm_query_order_by(sqlalc_session_query(s, Team),
                                          SQLALC_EXPRS(sqlalc_orm_col(Team, "team_long_name"))),
                3),
            "match_collection_home_team_api"),
        &teams));
    expect(teams.count > 0, "teams in the football database");
    for (size_t i = 0; i < teams.count; i++) {
        void *team = teams.items[i];
        sqlalc_orm_list *home, *away;
        CHECK(sqlalc_orm_related(team, "match_collection_home_team_api", &home, NULL));
        CHECK(sqlalc_orm_related(team, "match_collection_away_team_api", &away, NULL)); /* lazy */
        printf("%s: %zu home matches, %zu away", sqlalc_orm_get_text(team, "team_long_name"), home->count,
               away->count);
        if (home->count) {
            void *match = home->items[0];
            void *back;
            CHECK(sqlalc_orm_related(match, "home_team_api", NULL, &back)); /* the many-to-one side */
            expect(back == team, "a match's home team is the team");
            printf("; first: %s %lld-%lld", sqlalc_orm_get_text(match, "date"),
                   (long long)sqlalc_orm_get_int64(match, "home_team_goal"),
                   (long long)sqlalc_orm_get_int64(match, "away_team_goal"));
        }
        printf("\n");
    }
    sqlalc_orm_list_clear(&teams);
    sqlalc_session_free(s);
    sqlalc_orm_registry_free(reg);
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite:///soccer.sqlite";
    sqlalc_engine *eng;
    CHECK(sqlalc_engine_create(url, NULL, &eng));
    sqlalc_metadata *md = lesson(eng);
    automap(eng); /* department_employee shows as a many-to-many pair */
    CHECK(sqlalc_metadata_drop_all(md, eng, 0));
    sqlalc_metadata_free(md);
    sqlalc_engine_free(eng);
    return 0;
}
