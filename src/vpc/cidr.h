// IPv4 CIDR blocks as VPC uses them: parsing in the canonical form Alibaba
// accepts ("172.16.0.0/12": the address is the network address, no host
// bits set), containment and overlap.
#ifndef SWASD_VPC_CIDR_H_
#define SWASD_VPC_CIDR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swasd::vpc {

struct Cidr {
  uint32_t network = 0;  // host byte order, host bits zero
  int prefix = 0;        // 0..32

  // nullopt unless `text` is a.b.c.d/n with each part in range, no leading
  // zeros, and no host bits set.
  static std::optional<Cidr> Parse(std::string_view text);
  std::string ToString() const;
  uint32_t Mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  uint64_t Size() const { return uint64_t{1} << (32 - prefix); }
  // `other` lies wholly inside this block.
  bool Contains(const Cidr& other) const {
    return other.prefix >= prefix && (other.network & Mask()) == network;
  }
  bool Overlaps(const Cidr& other) const { return Contains(other) || other.Contains(*this); }
  // The address `offset` places after the network address.
  std::string Address(uint32_t offset) const;
};

// 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, or a block inside one of
// them (RFC 1918): the blocks a VPC may use.
bool IsPrivate(const Cidr& c);

}  // namespace swasd::vpc

#endif  // SWASD_VPC_CIDR_H_
