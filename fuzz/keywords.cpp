// fuzz/keywords.cpp: case folding and keyword matching (core/case_fold.cpp, core/frecency.cpp)
// on hostile bytes: a path, then up to three keywords, split at NUL bytes.
// - fold_case is idempotent, keeps every ASCII byte but A-Z where it was (so it never makes
//   ASCII out of other bytes), and has_upper_case says whether it lowers anything but ς;
// - keywords_match ignores case: folding the path or the keywords first changes nothing;
// - for ASCII keywords, a match implies SQLite's prefilter of dirs_store.cpp: the keywords,
//   ASCII-folded, appear in order in the ASCII-folded path. Were that false, a jump would miss
//   a directory the matcher accepts.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/case_fold.hpp"
#include "core/frecency.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

std::string ascii_folded(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

void check_fold(std::string_view text) {
  const std::string folded = gum::fold_case(text);
  if (gum::fold_case(folded) != folded) __builtin_trap();
  // ASCII bytes: the same ones (A-Z lowered), in the same order, and no new ones.
  std::string ascii_in, ascii_out;
  for (char c : ascii_folded(text))
    if (static_cast<unsigned char>(c) < 0x80) ascii_in += c;
  for (char c : folded)
    if (static_cast<unsigned char>(c) < 0x80) ascii_out += c;
  if (ascii_in != ascii_out) __builtin_trap();
  if (!gum::has_upper_case(text) && folded != text) {
    // Only the final sigma (U+03C2, CF 82) may change without being upper case.
    std::string original(text);
    for (size_t i = 0; i + 1 < original.size(); ++i)
      if (original[i] == '\xCF' && original[i + 1] == '\x82') original[i + 1] = '\x83';
    if (folded != original) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = gum_fuzz::split_parts(data, size, 4);
  const std::string path(parts[0]);
  std::vector<std::string> keywords;
  for (size_t i = 1; i < parts.size(); ++i)
    if (!parts[i].empty()) keywords.emplace_back(parts[i]);
  check_fold(path);
  for (auto& k : keywords) check_fold(k);

  const bool matched = gum::keywords_match(path, keywords);
  std::vector<std::string> folded_keywords;
  for (auto& k : keywords) folded_keywords.push_back(gum::fold_case(k));
  if (gum::keywords_match(gum::fold_case(path), keywords) != matched) __builtin_trap();
  if (gum::keywords_match(path, folded_keywords) != matched) __builtin_trap();

  bool all_ascii = true;
  for (auto& k : keywords) all_ascii = all_ascii && is_ascii(k);
  if (matched && all_ascii) {
    const std::string hay = ascii_folded(path);
    size_t from = 0;
    for (auto& k : keywords) {
      const size_t at = hay.find(ascii_folded(k), from);
      if (at == std::string::npos) __builtin_trap();
      from = at + k.size();
    }
  }
  return 0;
}
