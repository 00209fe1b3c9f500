/*
 * LD_PRELOAD shim for tests/Benchmarks --rt-probe: counts calls of the malloc family made by the calling thread while
 * that thread has armed the counter (thread-local flag, so other threads of the process never count). Everything is
 * forwarded to glibc's own entry points. Build: cc -O2 -shared -fPIC -o librtprobe.so rtprobe.c
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

static __thread int armed;
static __thread long calls;

#define COUNT() do { if (armed) calls++; } while (0)

void *malloc(size_t n) { COUNT(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { COUNT(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { COUNT(); return __libc_realloc(p, n); }
void free(void *p) { if (p) COUNT(); __libc_free(p); }
void *memalign(size_t a, size_t n) { COUNT(); return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { COUNT(); return __libc_memalign(a, n); }
void *valloc(size_t n) { COUNT(); return __libc_valloc(n); }
void *pvalloc(size_t n) { COUNT(); return __libc_pvalloc(n); }
int posix_memalign(void **out, size_t a, size_t n)
{
    COUNT();
    void *p = __libc_memalign(a, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void rtprobe_arm(int on) { armed = on; }
long rtprobe_calls(void) { return calls; }
void rtprobe_reset(void) { calls = 0; }
