#include "CSQLiteGuard.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_protected(const char *prefix, const char *table) {
    if (table == NULL) return 0;
    return strncasecmp(table, prefix, strlen(prefix)) == 0;
}

// SQLite calls this while compiling each statement; a denied action makes
// sqlite3_prepare fail with SQLITE_AUTH ("not authorized"), so nothing runs.
static int guard_authorizer(void *context, int action, const char *a, const char *b, const char *database,
                            const char *trigger) {
    const char *prefix = (const char *)context;
    (void)database;
    (void)trigger;
    switch (action) {
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DELETE:
    case SQLITE_UPDATE:
        return is_protected(prefix, a) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_TEMP_TRIGGER:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_ALTER_TABLE:
        return is_protected(prefix, b) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_PRAGMA:
        // Defensive mode already ignores writable_schema; refuse it outright so the
        // attempt fails loudly instead of silently doing nothing.
        return (a != NULL && strcasecmp(a, "writable_schema") == 0 && b != NULL) ? SQLITE_DENY : SQLITE_OK;
    default:
        return SQLITE_OK;
    }
}

int sluice_sqlite_guard(sqlite3 *db, const char *protected_prefix) {
    int enabled = 0;
    int status = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
    if (status != SQLITE_OK) return status;
    if (!enabled) return SQLITE_ERROR;
    // Lives as long as the process: one small string per connection, and connections
    // are opened a handful of times in a gateway's life.
    char *prefix = strdup(protected_prefix);
    if (prefix == NULL) return SQLITE_NOMEM;
    return sqlite3_set_authorizer(db, guard_authorizer, prefix);
}

int sluice_sqlite_is_defensive(sqlite3 *db) {
    int enabled = 0;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &enabled) != SQLITE_OK) return 0;
    return enabled;
}
