#include "store/postgres/pg_common.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace swasd::store::postgres {
namespace {

using namespace std::string_literals;

TEST(PgTextCodec, PlainStringsAreStoredAsIs) {
  EXPECT_EQ(EncodeText("m-abc123"), "m-abc123");
  EXPECT_EQ(DecodeText("m-abc123"), "m-abc123");
  EXPECT_EQ(EncodeText(""), "");
}

TEST(PgTextCodec, NulAndOneRoundTripWithoutNul) {
  for (const std::string& s : {"\0"s, "\1"s, "a\0b"s, "\1\0\1"s, "\0\0"s,
                              "x\1\2y"s, "\2\1"s}) {
    const std::string enc = EncodeText(s);
    EXPECT_EQ(enc.find('\0'), std::string::npos);
    EXPECT_EQ(DecodeText(enc), s);
  }
}

TEST(PgTextCodec, PreservesByteOrder) {
  std::vector<std::string> v = {"a"s,    "a\0"s,  "a\0\0"s, "a\1"s, "a\1\0"s,
                                "a\2"s,  "\0"s,   "\1"s,    "\2"s,  ""s,
                                "a\0b"s, "a\1b"s, "b"s,     "\xff"s};
  std::sort(v.begin(), v.end());
  for (size_t i = 1; i < v.size(); ++i) {
    EXPECT_LT(EncodeText(v[i - 1]), EncodeText(v[i])) << i;
  }
}

TEST(PgTextCodec, ArrayLiteralQuotesEverything) {
  EXPECT_EQ(TextArrayLiteral({}), "{}");
  EXPECT_EQ(TextArrayLiteral({"a", "b,c", "d\"e", "f\\g", "NULL", " "}),
            R"({"a","b,c","d\"e","f\\g","NULL"," "})");
}

TEST(PgDsn, RedactsPasswords) {
  EXPECT_EQ(RedactDsn("postgresql://u:secret@h:5432/db"),
            "postgresql://u:***@h:5432/db");
  EXPECT_EQ(RedactDsn("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(RedactDsn("postgresql://h/db?password=secret&sslmode=require"),
            "postgresql://h/db?password=***&sslmode=require");
  EXPECT_EQ(RedactDsn("host=h password=secret dbname=d"),
            "host=h password=*** dbname=d");
  EXPECT_EQ(RedactDsn("host=h password='se cret' dbname=d"),
            "host=h password=*** dbname=d");
}

TEST(PgDsn, AddsDefaultsOnlyWhenAbsent) {
  EXPECT_EQ(WithDefaultParam("postgresql://h/db", "connect_timeout", "5"),
            "postgresql://h/db?connect_timeout=5");
  EXPECT_EQ(WithDefaultParam("postgresql://h/db?sslmode=disable",
                             "connect_timeout", "5"),
            "postgresql://h/db?sslmode=disable&connect_timeout=5");
  EXPECT_EQ(WithDefaultParam("postgresql://h/db?connect_timeout=9",
                             "connect_timeout", "5"),
            "postgresql://h/db?connect_timeout=9");
  EXPECT_EQ(WithDefaultParam("host=h dbname=d", "connect_timeout", "5"),
            "host=h dbname=d connect_timeout=5");
  EXPECT_EQ(WithDefaultParam("host=h connect_timeout=1", "connect_timeout", "5"),
            "host=h connect_timeout=1");
}

}  // namespace
}  // namespace swasd::store::postgres
