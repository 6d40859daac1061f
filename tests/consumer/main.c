/* A program outside the tree that links the installed library. */
#include <sqlalc.h>
#include <stdio.h>

int main(void)
{
    sqlalc_engine *eng;
    sqlalc_result *res;
    const sqlalc_row *row;
    if (sqlalc_engine_create("sqlite://", NULL, &eng) != SQLALC_OK ||
        sqlalc_engine_execute_sql(eng, "SELECT :greeting AS g",
                                  SQLALC_PARAMS(SQLALC_P_TEXT("greeting", "hello")), &res) != SQLALC_OK) {
        fprintf(stderr, "%s\n", sqlalc_errmsg());
        return 1;
    }
    while (sqlalc_result_next(res, &row) == SQLALC_ROW)
        printf("%s\n", sqlalc_row_text_by_name(row, "g"));
    sqlalc_result_free(res);
    sqlalc_engine_free(eng);
    return 0;
}
