// cli/jq_loader.cpp: dlopen of libjq.so.1 and one jq run (see jq_loader.hpp).
//
// The library is never closed: a process runs at most one --jq and then exits.
#include "cli/jq_loader.hpp"

#include <dlfcn.h>

#include <map>
#include <mutex>

namespace gum::cli {

namespace {

struct loaded_jq {
  jq_api api{};
  std::string error;
  bool ok = false;
};

template <class F>
bool resolve(void* lib, const char* name, F& out, std::string& error) {
  out = reinterpret_cast<F>(dlsym(lib, name));
  if (!out) error = std::string("libjq has no ") + name;
  return out != nullptr;
}

loaded_jq load_library(const char* library) {
  loaded_jq l;
  void* lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = dlerror();
    l.error = std::string("cannot load ") + library + ": " + (why ? why : "unknown error");
    return l;
  }
  auto& a = l.api;
  auto& e = l.error;
  l.ok = resolve(lib, "jq_init", a.init, e) && resolve(lib, "jq_set_error_cb", a.set_error_cb, e) &&
         resolve(lib, "jq_compile", a.compile, e) && resolve(lib, "jq_start", a.start, e) &&
         resolve(lib, "jq_next", a.next, e) && resolve(lib, "jq_teardown", a.teardown, e) &&
         resolve(lib, "jq_format_error", a.format_error, e) &&
         resolve(lib, "jv_parse_sized", a.parse_sized, e) &&
         resolve(lib, "jv_get_kind", a.get_kind, e) && resolve(lib, "jv_copy", a.copy, e) &&
         resolve(lib, "jv_free", a.free, e) && resolve(lib, "jv_dump_string", a.dump_string, e) &&
         resolve(lib, "jv_string_value", a.string_value, e) &&
         resolve(lib, "jv_invalid_has_msg", a.invalid_has_msg, e) &&
         resolve(lib, "jv_invalid_get_msg", a.invalid_get_msg, e);
  return l;
}

// What jq reports while compiling: collected, so that it becomes gum's one error line.
struct compile_errors {
  const jq_api* api;
  std::string text;
};

void collect_error(void* data, jv message) {
  auto* errors = static_cast<compile_errors*>(data);
  jv formatted = errors->api->format_error(message);  // takes `message`
  if (errors->api->get_kind(formatted) == JV_KIND_STRING && errors->text.empty())
    errors->text = errors->api->string_value(formatted);
  errors->api->free(formatted);
}

}  // namespace

status run_jq(const std::string& expression, const std::string& json, std::string& out,
              const char* library, bool compile_only);

const jq_api* load_jq(std::string& error, const char* library) {
  // Loaded once per library name; the CLI asks from its main thread only, the mutex is for
  // tests that might not.
  static std::mutex mutex;
  static auto* loaded = new std::map<std::string, loaded_jq>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded->find(library);
  if (it == loaded->end()) it = loaded->emplace(library, load_library(library)).first;
  if (!it->second.ok) {
    error = it->second.error;
    return nullptr;
  }
  return &it->second.api;
}

status check_jq(const std::string& expression, const char* library) {
  std::string unused;
  return run_jq(expression, "null", unused, library, /*compile_only=*/true);
}

status run_jq(const std::string& expression, const std::string& json, std::string& out,
              const char* library) {
  return run_jq(expression, json, out, library, /*compile_only=*/false);
}

status run_jq(const std::string& expression, const std::string& json, std::string& out,
              const char* library, bool compile_only) {
  std::string error;
  const jq_api* jq = load_jq(error, library);
  if (!jq)
    return status::fail(status_code::usage, "--jq needs libjq: " + error,
                        "install it (Debian: apt install libjq1), or pipe --json output to jq");
  jq_state* state = jq->init();
  if (!state) return status::fail(status_code::failure, "--jq: cannot start jq");
  compile_errors errors{jq, {}};
  jq->set_error_cb(state, collect_error, &errors);
  if (!jq->compile(state, expression.c_str())) {
    jq->teardown(&state);
    std::string what = errors.text.empty() ? std::string("does not compile") : errors.text;
    return status::fail(status_code::usage, "--jq: " + what);
  }
  if (compile_only) {
    jq->teardown(&state);
    return status::success();
  }
  jv input = jq->parse_sized(json.data(), static_cast<int>(json.size()));
  if (jq->get_kind(input) == JV_KIND_INVALID) {
    jq->free(input);
    jq->teardown(&state);
    return status::fail(status_code::failure, "--jq: gum made JSON that jq cannot read");
  }
  jq->start(state, input, 0);  // takes `input`
  status result = status::success();
  for (;;) {
    jv value = jq->next(state);
    if (jq->get_kind(value) == JV_KIND_INVALID) {
      if (jq->invalid_has_msg(jq->copy(value))) {
        jv message = jq->invalid_get_msg(value);  // takes `value`
        std::string text = "failed";
        if (jq->get_kind(message) == JV_KIND_STRING) {
          text = jq->string_value(message);
        } else {
          jv dumped = jq->dump_string(jq->copy(message), 0);
          text = jq->string_value(dumped);
          jq->free(dumped);
        }
        jq->free(message);
        result = status::fail(status_code::usage, "--jq: " + text);
      } else {
        jq->free(value);  // the end of the results
      }
      break;
    }
    if (jq->get_kind(value) == JV_KIND_STRING) {
      out += jq->string_value(value);
      jq->free(value);
    } else {
      jv dumped = jq->dump_string(value, 0);  // takes `value`
      out += jq->string_value(dumped);
      jq->free(dumped);
    }
    out += '\n';
  }
  jq->teardown(&state);
  return result;
}

}  // namespace gum::cli

// <jq.h> defines `static int jv_is_valid(jv)`, which calls jv_get_kind, and GCC emits that
// function at -O0 in every C++ file that includes the header (the header has no extern "C",
// so the name is C++'s). gum never calls it, but the unoptimised sanitizer build must link,
// and gum does not link libjq: this definition forwards to the loaded library.
jv_kind jv_get_kind(jv value) {
  std::string error;
  const gum::cli::jq_api* api = gum::cli::load_jq(error);
  return api ? api->get_kind(value) : JV_KIND_INVALID;
}
