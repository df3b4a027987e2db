#ifndef SLUICE_SQLITE_GUARD_H
#define SLUICE_SQLITE_GUARD_H

#include <sqlite3.h>
#include <stddef.h>

/// Turns on SQLite's defensive mode (no writable_schema, no direct shadow-table
/// writes) and installs an authorizer that refuses to compile any statement that would
/// drop, alter, update or delete from a table whose name starts with `protected_prefix`,
/// or drop or create a trigger or index on one. Returns SQLITE_OK or an SQLite error code.
///
/// The authorizer replaces any authorizer installed before on this connection.
int sluice_sqlite_guard(sqlite3 *db, const char *protected_prefix);

/// Whether `sluice_sqlite_guard` is active on this connection (defensive mode on).
int sluice_sqlite_is_defensive(sqlite3 *db);

/// Whether `needle` occurs in `haystack` (glibc's memmem, which Swift does not see
/// without _GNU_SOURCE): audit queries pass over bundles that cannot match with it.
int sluice_contains(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
