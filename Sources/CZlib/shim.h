/* The system zlib (Debian zlib1g-dev), for the test server's gzip and deflate bodies.
   deflateInit2 is a macro that Swift cannot call, hence the wrapper. */
#ifndef SCAMSIFT_CZLIB_SHIM_H
#define SCAMSIFT_CZLIB_SHIM_H
#include <zlib.h>

/* windowBits 15 + 16 writes a gzip wrapper, 15 a zlib wrapper. */
static inline int czlib_deflateInit(z_streamp stream, int level, int gzip) {
    return deflateInit2(stream, level, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY);
}
#endif
