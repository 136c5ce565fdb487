/* A stand-in for Windows 10's bcryptprimitives.dll, for `make release-check` under Wine only.
 *
 * Rust's standard library gets random bytes on Windows from ProcessPrng in bcryptprimitives.dll, which
 * every supported Windows ships but Wine 8.0 (Debian bookworm's wine64) does not. This DLL exports that
 * one function over RtlGenRandom (advapi32's SystemFunction036), also a system CSPRNG. It is never
 * shipped: a release binary loads Windows' own DLL. Built by scripts/release/check.sh with zig. */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
