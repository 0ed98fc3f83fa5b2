/* The system zlib (Debian zlib1g-dev): the fetcher inflates HTTP bodies as they stream in,
   ScamSift's Input/ inflates gzip (WARC files, compressed HTTP bodies inside them); the test server
   deflates its gzip and deflate bodies.
   deflateInit2 and inflateInit2 are macros that Swift cannot call, hence the wrappers. */
#ifndef SCAMSIFT_CZLIB_SHIM_H
#define SCAMSIFT_CZLIB_SHIM_H
#include <zlib.h>

/* windowBits 15 + 16 writes a gzip wrapper, 15 a zlib wrapper, -15 none (raw deflate). */
static inline int czlib_deflateInit(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

/* windowBits 15 + 32 reads a gzip or a zlib wrapper (told apart by the header), -15 a raw deflate stream. */
static inline int czlib_inflateInit(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
