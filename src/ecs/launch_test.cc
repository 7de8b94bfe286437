#include "ecs/launch.h"

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "ecs/errors.h"

namespace swasd::ecs {
namespace {

TEST(LaunchTest, InstanceNames) {
  EXPECT_TRUE(ValidInstanceName("web-1"));
  EXPECT_TRUE(ValidInstanceName("应用.服务器_1:a"));
  EXPECT_FALSE(ValidInstanceName("w"));           // too short
  EXPECT_FALSE(ValidInstanceName("1web"));        // starts with a digit
  EXPECT_FALSE(ValidInstanceName("web server"));  // space
  EXPECT_FALSE(ValidInstanceName("http://x"));
  EXPECT_FALSE(ValidInstanceName(std::string(129, 'a')));
  EXPECT_TRUE(ValidInstanceName(std::string(128, 'a')));
}

TEST(LaunchTest, HostNamesLinuxAndWindows) {
  EXPECT_TRUE(ValidHostName("k8s-node-1.internal", false));
  EXPECT_FALSE(ValidHostName("-node", false));
  EXPECT_FALSE(ValidHostName("node.", false));
  EXPECT_FALSE(ValidHostName("no..de", false));
  EXPECT_FALSE(ValidHostName("no-.de", false));
  EXPECT_FALSE(ValidHostName("node_1", false));
  EXPECT_FALSE(ValidHostName(std::string(65, 'a'), false));
  EXPECT_TRUE(ValidHostName(std::string(64, 'a'), false));
  EXPECT_TRUE(ValidHostName("win-host-01", true));
  EXPECT_FALSE(ValidHostName("win.host", true));       // no periods on Windows
  EXPECT_FALSE(ValidHostName("1234567", true));        // not only digits
  EXPECT_FALSE(ValidHostName("a-very-long-hostname", true));  // over 15
}

TEST(LaunchTest, HostNamePlaceholder) {
  EXPECT_EQ(ExpandHostName("k8s-${instance_id}", "i-abc"), "k8s-i-abc");
  EXPECT_EQ(ExpandHostName("${instance_id}.${instance_id}", "i-1"), "i-1.i-1");
  EXPECT_EQ(ExpandHostName("plain", "i-1"), "plain");
}

TEST(LaunchTest, UserDataIsBase64Of32KiBAtMost) {
  EXPECT_TRUE(CheckUserData(Base64Encode("#!/bin/sh\necho hi\n")).ok());
  EXPECT_TRUE(CheckUserData(Base64Encode(std::string(32 * 1024, 'x'))).ok());
  EXPECT_TRUE(CheckUserData(Base64Encode(std::string(32 * 1024 + 1, 'x')))
                  .error()
                  .Is(errors::kInvalidUserDataSizeExceeded));
  EXPECT_TRUE(CheckUserData("not base64!").error().Is(errors::kInvalidUserDataBase64));
}

TEST(LaunchTest, Tags) {
  EXPECT_TRUE(CheckTags({{"env", "prod"}, {"team", ""}}).ok());
  EXPECT_TRUE(CheckTags({{"", "v"}}).error().Is(errors::kInvalidTagKeyMalformed));
  EXPECT_TRUE(CheckTags({{"aliyun-x", "v"}}).error().Is(errors::kInvalidTagKeyMalformed));
  EXPECT_TRUE(CheckTags({{"acs:x", "v"}}).error().Is(errors::kInvalidTagKeyMalformed));
  EXPECT_TRUE(CheckTags({{"k", "acs:v"}}).error().Is(errors::kInvalidTagValueMalformed));
  EXPECT_TRUE(CheckTags({{"k", "see https://x"}}).error().Is(errors::kInvalidTagValueMalformed));
  EXPECT_TRUE(CheckTags({{"k", "a"}, {"k", "b"}}).error().Is(errors::kDuplicateTagKey));
}

TEST(LaunchTest, DataDiskCategoryAndSize) {
  EXPECT_TRUE(CheckDataDiskSize("cloud_essd", 20).ok());
  EXPECT_TRUE(CheckDataDiskSize("cloud_essd", 19).error().Is(errors::kInvalidDataDiskSize));
  EXPECT_TRUE(CheckDataDiskSize("cloud", 5).ok());
  EXPECT_TRUE(CheckDataDiskSize("cloud", 2001).error().Is(errors::kInvalidDataDiskSize));
  EXPECT_TRUE(CheckDataDiskSize("cloud_auto", 1).ok());
  EXPECT_TRUE(CheckDataDiskSize("floppy", 20)
                  .error()
                  .Is(errors::kInvalidDataDiskCategoryValueNotSupported));
}

}  // namespace
}  // namespace swasd::ecs
