// tests/yaml_document_test.cpp: proves what core/yaml_document keeps from a YAML text and that it
// refuses a text cut short (SPEC §4: a file cut inside a quote, [ or { never parses).
#include <gtest/gtest.h>

#include <string>

#include "core/yaml_document.hpp"

namespace {

using gum::yaml_document;
using gum::yaml_kind;
using gum::yaml_style;

TEST(yaml_document, plain_tilde_is_null_and_quoted_tilde_is_a_string) {
  auto doc = yaml_document::parse("a: ~\nb: \"~\"\nc: '~'\nd:\ne: null\nf: !!str ~\n", "t.yaml");
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  const auto& e = doc.root().entries();
  ASSERT_EQ(e.size(), 6u);
  EXPECT_TRUE(e[0].value->is_null());
  EXPECT_TRUE(e[1].value->is_scalar());
  EXPECT_EQ(e[1].value->text(), "~");
  EXPECT_EQ(e[1].value->style(), yaml_style::double_quoted);
  EXPECT_EQ(e[2].value->style(), yaml_style::single_quoted);
  EXPECT_TRUE(e[2].value->is_scalar());
  EXPECT_TRUE(e[3].value->is_null());
  EXPECT_TRUE(e[4].value->is_null());
  EXPECT_TRUE(e[5].value->is_scalar());  // an explicit tag wins over the null spelling
}

TEST(yaml_document, nodes_carry_kind_style_and_one_based_position) {
  auto doc = yaml_document::parse("# c\nroots: [a, \"b c\"]\nmap:\n  k: |\n    lit\n", "t.yaml");
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  const auto& root = doc.root();
  EXPECT_EQ(root.style(), yaml_style::block);
  EXPECT_EQ(root.line(), 2);
  const auto& roots = *root.entries()[0].value;
  ASSERT_TRUE(roots.is_sequence());
  EXPECT_EQ(roots.style(), yaml_style::flow);
  EXPECT_EQ(roots.line(), 2);
  EXPECT_EQ(roots.column(), 8);
  ASSERT_EQ(roots.items().size(), 2u);
  EXPECT_EQ(roots.items()[1]->text(), "b c");
  EXPECT_EQ(roots.items()[1]->column(), 12);
  const auto& map = *root.entries()[1].value;
  ASSERT_TRUE(map.is_mapping());
  EXPECT_EQ(map.entries()[0].value->text(), "lit\n");
  EXPECT_EQ(map.entries()[0].value->style(), yaml_style::literal);
}

TEST(yaml_document, empty_stream_is_a_null_root) {
  for (const char* text : {"", "# only\n", "---\n", "~\n"}) {
    auto doc = yaml_document::parse(text, "t.yaml");
    ASSERT_TRUE(doc.ok()) << text;
    EXPECT_TRUE(doc.root().is_null()) << text;
  }
}

TEST(yaml_document, an_alias_is_the_anchored_node_and_must_come_after_it) {
  auto doc = yaml_document::parse("a: &x [1, 2]\nb: *x\n", "t.yaml");
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  EXPECT_EQ(doc.root().entries()[0].value, doc.root().entries()[1].value);

  auto bad = yaml_document::parse("a: &x [*x]\n", "t.yaml");  // itself, before it ends
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(), "t.yaml:1:8: the referenced anchor is not defined");
}

TEST(yaml_document, a_stream_cut_inside_a_quote_or_bracket_is_an_error_with_position) {
  struct row {
    const char* text;
    const char* error;
  };
  for (row r :
       {row{"projects:\n  - \"",
            "f:2:6: the file ends inside a quoted string opened at line 2, column 5"},
        row{"a: 'x", "f:1:6: the file ends inside a quoted string opened at line 1, column 4"},
        row{"a: [x, \"y",
            "f:1:10: the file ends inside a quoted string opened at line 1, column 8"},
        row{"a: [x,\n", "f:2:1: end of sequence flow not found"},
        row{"a: {x: 1", "f:2:1: end of map flow not found"},
        row{"a: {x: [1, {y: ", "f:2:1: end of map flow not found"}}) {
    auto doc = yaml_document::parse(r.text, "f");
    ASSERT_FALSE(doc.ok()) << r.text;
    EXPECT_EQ(doc.error().to_string(), r.error) << r.text;
  }
}

TEST(yaml_document, more_than_one_document_is_an_error) {
  auto doc = yaml_document::parse("a: 1\n---\nb: 2\n", "f");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().line, 2);
  EXPECT_EQ(doc.error().column, 1);
}

TEST(yaml_document, nesting_is_bounded_and_encoding_errors_have_a_position) {
  auto deep = yaml_document::parse(std::string(300, '[') + std::string(300, ']'), "f");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().column, yaml_document::max_depth + 1);
  EXPECT_NE(deep.error().message.find("nesting deeper"), std::string::npos);

  auto binary = yaml_document::parse(std::string("a: 1\nb: \xff\n"), "f");
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.error().line, 2);
  EXPECT_EQ(binary.error().column, 4);
}

}  // namespace
