// net/curl_loader.cpp: dlopen of libcurl.so.4 (see curl_loader.hpp for why).
//
// The loaded library is never closed: libcurl keeps global state (TLS libraries) that must
// outlive every handle, and a process loads it at most once.
#include "net/curl_loader.hpp"

#include <dlfcn.h>

#include <mutex>

namespace gum {

namespace {

struct loaded_curl {
  curl_api api{};
  std::string error;
  bool ok = false;
};

template <class F>
bool resolve(void* lib, const char* name, F& out, std::string& error) {
  out = reinterpret_cast<F>(dlsym(lib, name));
  if (!out) error = std::string("libcurl has no ") + name;
  return out != nullptr;
}

loaded_curl load_once() {
  loaded_curl l;
  void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = dlerror();
    l.error = std::string("cannot load libcurl: ") + (why ? why : "unknown error");
    return l;
  }
  auto& a = l.api;
  auto& e = l.error;
  l.ok = resolve(lib, "curl_global_init", a.global_init, e) &&
         resolve(lib, "curl_global_cleanup", a.global_cleanup, e) &&
         resolve(lib, "curl_easy_init", a.easy_init, e) &&
         resolve(lib, "curl_easy_setopt", a.easy_setopt, e) &&
         resolve(lib, "curl_easy_getinfo", a.easy_getinfo, e) &&
         resolve(lib, "curl_easy_cleanup", a.easy_cleanup, e) &&
         resolve(lib, "curl_easy_strerror", a.easy_strerror, e) &&
         resolve(lib, "curl_multi_init", a.multi_init, e) &&
         resolve(lib, "curl_multi_add_handle", a.multi_add_handle, e) &&
         resolve(lib, "curl_multi_remove_handle", a.multi_remove_handle, e) &&
         resolve(lib, "curl_multi_perform", a.multi_perform, e) &&
         resolve(lib, "curl_multi_poll", a.multi_poll, e) &&
         resolve(lib, "curl_multi_info_read", a.multi_info_read, e) &&
         resolve(lib, "curl_multi_cleanup", a.multi_cleanup, e) &&
         resolve(lib, "curl_slist_append", a.slist_append, e) &&
         resolve(lib, "curl_slist_free_all", a.slist_free_all, e) &&
         resolve(lib, "curl_free", a.free, e) && resolve(lib, "curl_getdate", a.getdate, e) &&
         resolve(lib, "curl_url", a.url, e) && resolve(lib, "curl_url_cleanup", a.url_cleanup, e) &&
         resolve(lib, "curl_url_get", a.url_get, e) && resolve(lib, "curl_url_set", a.url_set, e) &&
         resolve(lib, "curl_version_info", a.version_info, e);
  return l;
}

}  // namespace

const curl_api* load_curl(std::string& error) {
  // One load per process, whichever thread asks first: dlopen state is process-wide anyway.
  static const loaded_curl loaded = load_once();
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.api;
}

std::string curl_version_text() {
  std::string error;
  const curl_api* api = load_curl(error);
  if (!api) return "not available (" + error + ")";
  return api->version_info(CURLVERSION_NOW)->version;
}

}  // namespace gum
