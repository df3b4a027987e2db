#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver on `input`, for an executable whose `main` SwiftPM names
/// after its module: libFuzzer's own `main` is then not the one linked.
int sluice_fuzz_main(int argc, char **argv, int (*input)(const uint8_t *data, size_t size));
