#define _GNU_SOURCE
#include "CSQLiteGuard.h"

#include <string.h>

int sluice_contains(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    if (needle_length == 0) return 1;
    return memmem(haystack, haystack_length, needle, needle_length) != NULL;
}
