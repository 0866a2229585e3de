// cli/jq_loader.hpp: libjq, loaded when `--jq` is first used.
//
// Why: only `--jq` needs jq, and libjq brings libonig with it. Linking it would make every gum
// process (a `gum add` on each `cd`) map and relocate two more shared objects; dlopen() on
// first use means only `--jq` pays, the way net/curl_loader.cpp loads libcurl. The headers
// are still <jq.h>, so the types are checked at compile time.
#pragma once

#include <jq.h>

#include <string>

#include "gum/messages.hpp"

namespace gum::cli {

/// The libjq functions gum calls, resolved from the loaded library.
struct jq_api {
  decltype(&::jq_init) init;
  decltype(&::jq_set_error_cb) set_error_cb;
  decltype(&::jq_compile) compile;
  decltype(&::jq_start) start;
  decltype(&::jq_next) next;
  decltype(&::jq_teardown) teardown;
  decltype(&::jq_format_error) format_error;
  decltype(&::jv_parse_sized) parse_sized;
  decltype(&::jv_get_kind) get_kind;
  decltype(&::jv_copy) copy;
  decltype(&::jv_free) free;
  decltype(&::jv_dump_string) dump_string;
  decltype(&::jv_string_value) string_value;
  decltype(&::jv_invalid_has_msg) invalid_has_msg;
  decltype(&::jv_invalid_get_msg) invalid_get_msg;
};

/// Loads `library` (libjq.so.1 by default) once per process and returns its functions, or
/// nullptr with `error` set when it or one of its functions cannot be found.
const jq_api* load_jq(std::string& error, const char* library = "libjq.so.1");

/// Runs the jq program `expression` on the JSON document `json` and appends each result to
/// `out`, one a line: strings raw (as `jq -r` and gh's --jq print them), everything else as
/// compact JSON. A program that does not compile, or fails on the input, is a usage error
/// (exit 2) with jq's message; a missing libjq is one too, with a hint to install it.
status run_jq(const std::string& expression, const std::string& json, std::string& out,
              const char* library = "libjq.so.1");

/// Compiles `expression` without running it: the parse checks --jq before any work is done.
status check_jq(const std::string& expression, const char* library = "libjq.so.1");

}  // namespace gum::cli
