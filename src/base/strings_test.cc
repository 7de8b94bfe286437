#include "base/strings.h"

#include <gtest/gtest.h>

namespace swasd {
namespace {

TEST(Strings, EqualsIgnoreCase) {
  EXPECT_TRUE(EqualsIgnoreCase("JSON", "json"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_FALSE(EqualsIgnoreCase("json", "jso"));
  EXPECT_FALSE(EqualsIgnoreCase("a", "b"));
  // Only ASCII letters fold: bytes >= 0x80 compare as they are.
  EXPECT_FALSE(EqualsIgnoreCase("\xc3\xa9", "\xc3\x89"));
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));
}

TEST(Strings, StartsWithIgnoreCase) {
  EXPECT_TRUE(StartsWithIgnoreCase("Application/X-WWW-Form-Urlencoded; x",
                                   "application/x-www-form-urlencoded"));
  EXPECT_TRUE(StartsWithIgnoreCase("abc", ""));
  EXPECT_FALSE(StartsWithIgnoreCase("ab", "abc"));
  EXPECT_FALSE(StartsWithIgnoreCase("xbc", "abc"));
}

}  // namespace
}  // namespace swasd
