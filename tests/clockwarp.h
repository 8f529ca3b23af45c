/* clockwarp.h - the store's waits, sooner: a test linked with
 * -Wl,--wrap=clock_gettime (Makefile.am) can make CLOCK_MONOTONIC run
 * faster for the library's code and its own, so a wait the store bounds
 * by its clock (30 s for a write, 20 s before a stall is told) ends in a
 * tenth of the time with the same constants and the same code paths.
 * Berkeley DB, a shared library, keeps the real clock (its own lock and
 * transaction timeouts), and so does every sleep. */
#ifndef XB_CLOCKWARP_H
#define XB_CLOCKWARP_H

/* From now on the monotonic clock runs factor times as fast. */
void warp_start(int factor);
/* From now on it runs at the real pace again (it never goes back). */
void warp_stop(void);
/* The monotonic clock as the library sees it, in milliseconds. */
long long warp_now_ms(void);

#endif
