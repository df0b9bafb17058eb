// zlib for Swift: gzip request bodies on the sync client, and their inflation on the server.
#ifndef CDRAGNET_ZLIB_SHIM_H
#define CDRAGNET_ZLIB_SHIM_H

#include <zlib.h>

/// deflateInit2 and inflateInit2 are macros Swift cannot call.
static inline int dragnet_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int dragnet_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

#endif
