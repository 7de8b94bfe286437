// swasd_seed: fills a data dir's store with N available custom images (and
// the instances, system disks and snapshots they were made from) for one
// account in one region, through the store API in batch transactions, and
// prints the account's key as JSON.
//
//   swasd_seed --data-dir DIR --images 100000 [--region cn-hangzhou]
//   swasd_seed --data-dir DIR --commit-probe 200   (one durable Write's latency)
//   swasd_seed --data-dir DIR --database postgresql://... --master-key-file F
//                                 (the same on PostgreSQL; bench/pg.sh)
//
// The account is the store's root account: created (with a generated key,
// written to DIR/root-credentials as swasd does) when the store is new,
// else taken from DIR/root-credentials. Image i gets the id
// bench::SeedImageId(i), the name "bench-image-<i, 15 digits>" (zero-padded
// so the name index fills in order) and created_at
// increasing with i, so swasd_bench can address images without listing.
// Re-running with the same arguments rewrites the same rows.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "bench/seed_ids.h"
#include "store/accounts.h"
#include "store/factory/factory.h"
#include "swas/model.h"

namespace swasd::bench {
namespace {

struct Config {
  std::string data_dir;
  int64_t commit_probe = 0;  // > 0: time this many single durable Writes
  int64_t images = 10000;
  std::string region = "cn-hangzhou";
  int64_t images_per_instance = 1000;
  int64_t batch = 20000;
  std::string database;         // PostgreSQL URL; empty: SQLite in data_dir
  std::string master_key_file;  // with database
};

std::string Pad(const char* prefix, int64_t i) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%015lld", prefix, static_cast<long long>(i));
  return buf;
}

// SQLite in the data dir, or PostgreSQL with --database (bench/pg.sh).
Result<std::unique_ptr<store::Store>> OpenStore(const Config& cfg) {
  return store::OpenStore({.data_dir = cfg.data_dir,
                           .database = cfg.database,
                           .master_key_file = cfg.master_key_file});
}

// The latency of one durable commit through the store, alone (no other
// writer to share its fsync with): what every Write waits for at least.
int CommitProbe(const Config& cfg) {
  auto opened = OpenStore(cfg);
  if (!opened.ok()) {
    std::cerr << "swasd_seed: " << opened.error().message() << "\n";
    return 1;
  }
  std::vector<double> ms;
  for (int64_t i = 0; i < cfg.commit_probe; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    Status s = (*opened)->Write([&](store::Tx& tx) {
      return tx.PutIdempotency({"probe", "probe", "probe-" + std::to_string(i % 16),
                                "", 200, "{}", 0});
    });
    if (!s.ok()) {
      std::cerr << "swasd_seed: " << s.error().message() << "\n";
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - t0)
                     .count());
  }
  (void)(*opened)->Write([](store::Tx& tx) -> Status {
    auto n = tx.PurgeIdempotency(1);
    return n.ok() ? Status::Ok() : Status(std::move(n).error());
  });
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double q) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))];
  };
  std::cout << nlohmann::json{{"Commits", ms.size()},
                              {"P50Ms", pct(0.5)},
                              {"P99Ms", pct(0.99)}}
                   .dump()
            << std::endl;
  return 0;
}

int Run(const Config& cfg) {
  if (cfg.commit_probe > 0) return CommitProbe(cfg);
  const auto t0 = std::chrono::steady_clock::now();
  auto opened = OpenStore(cfg);
  if (!opened.ok()) {
    std::cerr << "swasd_seed: " << opened.error().message() << "\n";
    return 1;
  }
  store::Store& st = **opened;
  SystemClock clock;
  store::RootOptions root;
  root.credentials_file = cfg.data_dir + "/root-credentials";
  auto ensured = store::EnsureRootAccount(st, clock, root);
  if (!ensured.ok()) {
    std::cerr << "swasd_seed: " << ensured.error().message() << "\n";
    return 1;
  }
  nlohmann::json creds;
  if (ensured->generated_key) {
    creds = {{"AccountId", ensured->account.account_id},
             {"AccessKeyId", ensured->generated_key->access_key_id},
             {"AccessKeySecret", ensured->generated_key->secret}};
  } else {
    std::ifstream in(root.credentials_file);
    try {
      creds = nlohmann::json::parse(
          std::string(std::istreambuf_iterator<char>(in), {}));
    } catch (const std::exception& e) {
      std::cerr << "swasd_seed: the store has a root account but "
                << root.credentials_file << " is unreadable (" << e.what()
                << "); seed a fresh data dir\n";
      return 1;
    }
  }
  const std::string account = ensured->account.account_id;

  const int64_t per = std::max<int64_t>(1, cfg.images_per_instance);
  const int64_t instances = (cfg.images + per - 1) / per;
  // Everything was made in the past, one millisecond apart, so it is all
  // settled ("Running", "Accomplished", image status "1").
  const int64_t now_ms = clock.NowUnixMillis();
  const int64_t base_ms = now_ms - 86'400'000 - cfg.images - 4 * instances;

  auto instance_id = [](int64_t k) { return Pad("benchinst", k); };
  auto disk_id = [](int64_t k) { return Pad("d-benchdisk", k); };
  auto snapshot_id = [](int64_t k) { return Pad("s-benchsnap", k); };

  Status s = st.Write([&](store::Tx& tx) -> Status {
    for (int64_t k = 0; k < instances; ++k) {
      swas::Instance inst;
      inst.id = instance_id(k);
      inst.account_id = account;
      inst.region_id = cfg.region;
      inst.name = "bench-instance-" + std::to_string(k);
      inst.plan_id = "swas.s.c2m1s40b1.linux";
      inst.image_id = "794c1ab1d1a1493f8e0af3d2a1b4b3e0";
      inst.image_name = "Alibaba Cloud Linux";
      inst.os_type = "Linux";
      inst.os_name = "Alibaba Cloud Linux";
      inst.os_version = "3.2104";
      inst.life.status = "Running";
      inst.public_ip = "47.0." + std::to_string(k / 250 % 250) + "." +
                       std::to_string(1 + k % 250);
      inst.inner_ip = "172.16." + std::to_string(k / 250 % 250) + "." +
                      std::to_string(1 + k % 250);
      inst.system_disk_id = disk_id(k);
      inst.created_ms = base_ms + 3 * k;
      inst.expires_ms = now_ms + 30LL * 86'400'000;
      SWASD_RETURN_IF_ERROR(tx.PutResource(swas::ToResource(inst)));

      swas::Disk disk;
      disk.id = disk_id(k);
      disk.account_id = account;
      disk.region_id = cfg.region;
      disk.instance_id = inst.id;
      disk.name = "bench-system-disk-" + std::to_string(k);
      disk.type = "System";
      disk.size = 40;
      disk.device = "/dev/xvda";
      disk.created_ms = inst.created_ms + 1;
      SWASD_RETURN_IF_ERROR(tx.PutResource(swas::ToResource(disk)));

      swas::Snapshot snap;
      snap.id = snapshot_id(k);
      snap.account_id = account;
      snap.region_id = cfg.region;
      snap.name = "bench-snapshot-" + std::to_string(k);
      snap.disk_id = disk.id;
      snap.instance_id = inst.id;
      snap.source_disk_type = "System";
      snap.life.status = "Accomplished";
      snap.created_ms = inst.created_ms + 2;
      SWASD_RETURN_IF_ERROR(tx.PutResource(swas::ToResource(snap)));
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    std::cerr << "swasd_seed: " << s.error().message() << " "
              << s.error().internal_cause() << "\n";
    return 1;
  }

  const int64_t images_base_ms = base_ms + 3 * instances;
  for (int64_t begin = 0; begin < cfg.images; begin += cfg.batch) {
    const int64_t end = std::min(cfg.images, begin + cfg.batch);
    s = st.Write([&](store::Tx& tx) -> Status {
      for (int64_t i = begin; i < end; ++i) {
        const int64_t k = i / per;
        swas::CustomImage img;
        img.id = SeedImageId(static_cast<uint64_t>(i));
        img.account_id = account;
        img.region_id = cfg.region;
        img.name = Pad("bench-image-", i);
        img.description = "seeded by swasd_seed";
        img.instance_id = instance_id(k);
        img.instance_name = "bench-instance-" + std::to_string(k);
        img.system_snapshot_id = snapshot_id(k);
        img.system_snapshot_name = "bench-snapshot-" + std::to_string(k);
        img.os_type = "Linux";
        img.source_image_name = "Alibaba Cloud Linux";
        img.source_image_version = "3.2104";
        img.required_system_disk_size = 40;
        img.life.status = swas::kImageAvailable;
        img.created_ms = images_base_ms + i;
        SWASD_RETURN_IF_ERROR(tx.PutResource(swas::ToResource(img)));
      }
      return Status::Ok();
    });
    if (!s.ok()) {
      std::cerr << "swasd_seed: " << s.error().message() << " "
                << s.error().internal_cause() << "\n";
      return 1;
    }
  }
  const double secs = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - t0)
                          .count();
  creds["Region"] = cfg.region;
  creds["Images"] = cfg.images;
  creds["Instances"] = instances;
  creds["Seconds"] = secs;
  std::cout << creds.dump() << std::endl;
  return 0;
}

}  // namespace
}  // namespace swasd::bench

int main(int argc, char** argv) {
  swasd::bench::Config cfg;
  CLI::App app{"swasd_seed: fill a swasd data dir with custom images"};
  app.add_option("--data-dir", cfg.data_dir, "swasd data dir (created if missing)")
      ->required();
  app.add_option("--images", cfg.images, "How many custom images")
      ->check(CLI::Range(int64_t{0}, int64_t{100'000'000}))->capture_default_str();
  app.add_option("--region", cfg.region, "Their region")->capture_default_str();
  app.add_option("--images-per-instance", cfg.images_per_instance,
                 "Images made from each seeded instance")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}))->capture_default_str();
  app.add_option("--batch", cfg.batch, "Images per transaction")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))->capture_default_str();
  app.add_option("--database", cfg.database,
                 "PostgreSQL URL: seed that database instead of DATA_DIR's SQLite store");
  app.add_option("--master-key-file", cfg.master_key_file,
                 "With --database: the key file swasd's nodes use (created when missing)");
  app.add_option("--commit-probe", cfg.commit_probe,
                 "Instead of seeding: time this many single durable Writes and "
                 "print their p50/p99 latency")
      ->check(CLI::Range(int64_t{0}, int64_t{1'000'000}));
  CLI11_PARSE(app, argc, argv);
  return swasd::bench::Run(cfg);
}
