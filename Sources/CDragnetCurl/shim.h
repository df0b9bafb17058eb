// libcurl for Swift. curl_easy_setopt and curl_easy_getinfo are C variadic functions, which Swift cannot call,
// so each argument type gets a typed static-inline wrapper here.
#ifndef CDRAGNET_CURL_SHIM_H
#define CDRAGNET_CURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode dragnet_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dragnet_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dragnet_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dragnet_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dragnet_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*dragnet_curl_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode dragnet_curl_setopt_write_function(CURL *handle, CURLoption option,
                                                          dragnet_curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// CURLOPT_HEADERFUNCTION's callback: called once per response header line, the status line and the blank line
/// that ends the header included; `context` is CURLOPT_HEADERDATA.
typedef size_t (*dragnet_curl_header_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode dragnet_curl_setopt_header_function(CURL *handle, dragnet_curl_header_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode dragnet_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode dragnet_curl_getinfo_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// The running libcurl's version information (CURLVERSION_NOW is a macro Swift cannot see).
static inline curl_version_info_data *dragnet_curl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

#endif
