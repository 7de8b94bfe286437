#include "gateway/region.h"

#include <gtest/gtest.h>

namespace swasd::gateway {
namespace {

TEST(RegionFromHostTest, RegionalEndpointNamesGiveTheirRegion) {
  EXPECT_EQ(RegionFromHost("swas.cn-hangzhou.aliyuncs.com"), "cn-hangzhou");
  EXPECT_EQ(RegionFromHost("swas.ap-southeast-1.aliyuncs.com:8080"), "ap-southeast-1");
  EXPECT_EQ(RegionFromHost("SWAS.CN-Beijing.AliyunCS.com."), "cn-beijing");
  EXPECT_EQ(RegionFromHost("ecs-cn-hangzhou.aliyuncs.com"), "cn-hangzhou");
  EXPECT_EQ(RegionFromHost("ecs.us-west-1.aliyuncs.com"), "us-west-1");
  EXPECT_EQ(RegionFromHost("swas-vpc.cn-shanghai.aliyuncs.com"), "cn-shanghai");
  EXPECT_EQ(RegionFromHost("vpc.rus-west-1.aliyuncs.com"), "rus-west-1");
}

TEST(RegionFromHostTest, OtherHostsGiveNone) {
  for (const char* host : {"", "localhost", "127.0.0.1:8080", "ecs.aliyuncs.com",
                           "swas-open.aliyuncs.com", "sts.aliyuncs.com", "ram.aliyuncs.com",
                           "swas.cn-hangzhou.example.com", "a.b.cn-hangzhou.aliyuncs.com",
                           "swas.cn-.aliyuncs.com", "swas.c-hangzhou.aliyuncs.com",
                           "swas.cn_hz.aliyuncs.com", ".aliyuncs.com", "aliyuncs.com",
                           "[::1]:8080"}) {
    EXPECT_EQ(RegionFromHost(host), std::nullopt) << host;
  }
}

}  // namespace
}  // namespace swasd::gateway
