// net/curl_loader.hpp: libcurl, loaded when the first GitHub request is made.
//
// Why: Debian's libcurl pulls in about thirty libraries (TLS, Kerberos, LDAP, SSH, IDN...).
// Linking it into the gum binary made every process map and relocate all of them, which cost
// about 4 ms and 7 MB of RSS on each `gum add` and `gum projects`, commands that never touch
// the network. gum therefore dlopen()s libcurl.so.4 on first use: only `gum sync` pays.
// The headers are still <curl/curl.h>, so types and constants are checked at compile time.
#pragma once

#include <curl/curl.h>

#include <string>

namespace gum {

/// The libcurl functions gum calls, resolved from the loaded library.
struct curl_api {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_global_cleanup) global_cleanup;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_free) free;
  decltype(&::curl_getdate) getdate;
  decltype(&::curl_url) url;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_version_info) version_info;
};

/// Loads libcurl once per process (thread-safe) and returns its functions, or nullptr with
/// `error` set when the library or one of its functions cannot be found.
const curl_api* load_curl(std::string& error);

/// libcurl's version ("8.5.0"), or "not available (why)" when it cannot be loaded.
std::string curl_version_text();

}  // namespace gum
