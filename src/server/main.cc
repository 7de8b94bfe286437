// swasd: the composition root. Reads configuration (flags > environment >
// config file), opens the store, makes sure the root account exists,
// registers every product's operations, and serves HTTP until SIGTERM.
// This is the only place that names concrete implementations.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "base/clock.h"
#include "base/errors.h"
#include "gateway/authn.h"
#include "gateway/authz.h"
#include "gateway/dispatcher.h"
#include "gateway/faults.h"
#include "gateway/idempotency.h"
#include "gateway/registry.h"
#include "gateway/throttle.h"
#include "http/server.h"
#include "store/accounts.h"
#include "store/faulty/faulty_store.h"
#include "store/factory/factory.h"
#include "actiontrail/api/routes.h"
#include "admin/api/routes.h"
#include "actiontrail/events.h"
#include "ecs/api/routes.h"
#include "iam/api/routes.h"
#include "iam/authorizer.h"
#include "server/admin_handler.h"
#include "ecs/service.h"
#include "swas/api/routes.h"
#include "swas/regions.h"
#include "swas/service.h"
#include "vpc/api/routes.h"
#include "vpc/service.h"

namespace swasd {
namespace {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string fault_injection;  // hidden: store/faulty SPEC, reliability tests only
  std::string database;         // postgresql://...: the store; else SQLite in data_dir
  std::string master_key_file;  // PostgreSQL's master key
  int io_threads = 2;
  int worker_threads = 32;
  std::string log_level = "info";
  std::string public_endpoint;
  std::vector<std::string> regions;
  int max_skew_seconds = 900;
  int request_timeout_ms = 30000;
  int64_t swas_instance_ready_ms = 1000;
  int64_t swas_snapshot_ready_ms = 1000;
  int64_t swas_image_ready_ms = 1000;
  int64_t ecs_instance_ready_ms = 1000;
  int64_t vpc_ready_ms = 1000;
  std::string ram_mode = "enforce";
  bool test_clock = false;
  bool strict_answers = false;
  std::string default_region = "cn-hangzhou";
  int client_token_ttl_hours = 24;
  int audit_retention_days = 90;
  std::vector<std::string> throttle;  // gateway/throttle.h rules
  bool enable_fault_injection = false;
  bool dump_operations = false;
  bool coverage_markdown = false;
};

// Periodic housekeeping off the request path: forget expired nonces, then
// run `chores` (each logs its own failures).
class Janitor {
 public:
  Janitor(store::Store* store, const Clock* clock, const gateway::Mutator* mutator,
          std::vector<std::function<void()>> chores = {})
      : store_(store), clock_(clock), mutator_(mutator), chores_(std::move(chores)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Janitor() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> l(mu_);
    while (!cv_.wait_for(l, std::chrono::seconds(60), [this] { return stop_; })) {
      l.unlock();
      int64_t now = clock_->NowUnixSeconds();
      Status s = store_->Write([&](store::Tx& tx) -> Status {
        auto n = tx.PurgeNonces(now);
        if (!n.ok()) return std::move(n).error();
        return Status::Ok();
      });
      if (!s.ok()) spdlog::warn("nonce purge failed: {}", s.error().message());
      s = mutator_->Purge();
      if (!s.ok()) spdlog::warn("client token purge failed: {}", s.error().message());
      for (const auto& chore : chores_) chore();
      l.lock();
    }
  }

  store::Store* store_;
  const Clock* clock_;
  const gateway::Mutator* mutator_;
  std::vector<std::function<void()>> chores_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

bool SplitHostPort(const std::string& s, std::string* host, uint16_t* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  *host = s.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  try {
    int p = std::stoi(s.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    *port = static_cast<uint16_t>(p);
  } catch (...) {
    return false;
  }
  return !host->empty();
}

int Run(const Config& cfg) {
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
  // With --test-clock, tests move time forward through an unsigned
  // endpoint (server/admin_handler.h) instead of sleeping (STS expiry,
  // lifecycles). Never in production: the endpoint exists only with the
  // flag.
  OffsetClock clock;

  swas::RegionCatalog regions = cfg.regions.empty() ? swas::RegionCatalog::Default()
                                               : swas::RegionCatalog::Only(cfg.regions);
  swas::ServiceOptions swas_opts;
  swas_opts.instance_transition_ms = cfg.swas_instance_ready_ms;
  swas_opts.snapshot_ready_ms = cfg.swas_snapshot_ready_ms;
  swas_opts.image_ready_ms = cfg.swas_image_ready_ms;
  swas::Service swas_service(&regions, &clock, swas_opts);

  // The SDK-generated API model: every known operation answers, and each
  // implemented one is checked against it (gateway/registry.h).
  gateway::Registry registry(&apimodel::Model::Builtin());
  swas::api::Services swas_services;
  swas_services.service = &swas_service;
  swas_services.regions = &regions;
  swas_services.public_endpoint = cfg.public_endpoint;
  const ecs::ZoneCatalog& zones = ecs::ZoneCatalog::Builtin();
  ecs::Service ecs_service(&swas_service, &regions, &zones, &clock,
                           {.instance_transition_ms = cfg.ecs_instance_ready_ms});
  ecs::api::Services ecs_services;
  ecs_services.regions = &regions;
  ecs_services.service = &ecs_service;
  ecs_services.public_endpoint = cfg.public_endpoint;
  vpc::Service vpc_service(&clock,
                           [&zones](std::string_view zone, std::string_view region) {
                             return zones.Has(region, zone);
                           },
                           {.ready_ms = cfg.vpc_ready_ms});
  vpc::api::Services vpc_services;
  vpc_services.service = &vpc_service;
  vpc_services.check_region = [&regions](std::string_view region) -> Status {
    if (regions.Find(region) == nullptr) return swasd::errors::kInvalidRegionIdNotFound;
    return Status::Ok();
  };
  iam::Service iam_service(&clock);
  iam::api::Services iam_services;
  iam_services.service = &iam_service;
  actiontrail::api::Services trail_services;
  // Fault rules exist only with --enable-fault-injection; without it the
  // admin product answers Forbidden.FaultInjectionDisabled.
  std::optional<gateway::FaultInjector> faults;
  if (cfg.enable_fault_injection) faults.emplace();
  admin::api::Services admin_services;
  admin_services.faults = faults ? &*faults : nullptr;
  admin_services.clock = &clock;
  gateway::Throttle throttle(&clock);
  if (Status s = throttle.Configure(cfg.throttle); !s.ok()) {
    std::cerr << "swasd: " << s.error().message() << "\n";
    return 2;
  }
  for (Status s : {swas::api::Register(&registry, &swas_services),
                   ecs::api::Register(&registry, &ecs_services),
                   vpc::api::Register(&registry, &vpc_services),
                   iam::api::Register(&registry, &iam_services),
                   actiontrail::api::Register(&registry, &trail_services),
                   admin::api::Register(&registry, &admin_services)}) {
    if (!s.ok()) {
      std::cerr << "swasd: " << s.error().message() << "\n";
      return 1;
    }
  }
  if (cfg.dump_operations) {
    std::cout << registry.Describe().dump(2) << "\n";
    return 0;
  }
  if (cfg.coverage_markdown) {
    std::cout << registry.CoverageMarkdown();
    return 0;
  }

  std::string host;
  uint16_t port = 0;
  if (!SplitHostPort(cfg.listen, &host, &port)) {
    std::cerr << "swasd: --listen must be HOST:PORT, got '" << cfg.listen << "'\n";
    return 2;
  }

  auto opened = store::OpenStore({.data_dir = cfg.data_dir,
                                  .database = cfg.database,
                                  .master_key_file = cfg.master_key_file});
  if (!opened.ok()) {
    std::cerr << "swasd: " << opened.error().message() << "\n";
    return 1;
  }
  std::unique_ptr<store::Store> store = std::move(opened).value();
  if (!cfg.fault_injection.empty()) {  // docs/reliability.md
    auto faulty = store::WrapWithFaults(std::move(store), cfg.fault_injection);
    if (!faulty.ok()) {
      std::cerr << "swasd: " << faulty.error().message() << "\n";
      return 2;
    }
    store = std::move(faulty).value();
    spdlog::warn("store fault injection active: {}", cfg.fault_injection);
  }
  swas_services.store = store.get();
  gateway::Mutator mutator(store.get(), &clock,
                           std::chrono::hours(cfg.client_token_ttl_hours));
  swas_services.mutator = &mutator;
  ecs_services.store = store.get();
  ecs_services.mutator = &mutator;
  vpc_services.store = store.get();
  vpc_services.mutator = &mutator;
  iam_services.store = store.get();
  iam_services.mutator = &mutator;
  trail_services.store = store.get();
  trail_services.mutator = &mutator;
  // The audit trail (docs/operations.md, "Audit trail"): writes record
  // their event in their own transaction, denied calls in one of theirs.
  actiontrail::api::AuditTrail audit(store.get(), cfg.default_region);
  mutator.set_audit(&audit);

  // On PostgreSQL the data dir only receives root-credentials.
  if (!cfg.database.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(cfg.data_dir, ec);
  }
  store::RootOptions root = store::RootOptionsFromEnv();
  root.credentials_file = cfg.data_dir + "/root-credentials";
  auto ensured = store::EnsureRootAccount(*store, clock, root);
  if (!ensured.ok()) {
    std::cerr << "swasd: " << ensured.error().message() << "\n";
    return 1;
  }
  admin_services.operator_account = ensured->account.account_id;
  if (faults) {
    spdlog::warn("fault injection enabled: the root account {} may set fault rules "
                 "(SetFaultRule, Version 2026-12-01)", ensured->account.account_id);
  }
  for (const auto& rule : cfg.throttle) spdlog::info("throttling {}", rule);
  if (ensured->generated_key) {
    // Shown once; also saved (mode 0600) in the data dir.
    std::cout << "swasd: created root account " << ensured->account.account_id
              << "\nswasd: AccessKeyId " << ensured->generated_key->access_key_id
              << "\nswasd: AccessKeySecret " << ensured->generated_key->secret
              << "\nswasd: (saved to " << root.credentials_file << ")"
              << std::endl;
  }

  gateway::Authenticator authn(store.get(), &clock,
                               {.max_skew = std::chrono::seconds(cfg.max_skew_seconds)});
  iam::RamAuthorizer authz(store.get(), &iam_service, &clock,
                          cfg.ram_mode == "soft" ? iam::RamMode::kSoft : iam::RamMode::kEnforce);
  gateway::Dispatcher dispatcher(&registry, &authn, &authz, &clock,
                                 {.strict_answers = cfg.strict_answers,
                                  .default_region = cfg.default_region,
                                  .audit = &audit,
                                  .throttle = throttle.enabled() ? &throttle : nullptr,
                                  .faults = faults ? &*faults : nullptr});

  http::ServerOptions http_opts;
  http_opts.host = host;
  http_opts.port = port;
  http_opts.io_threads = cfg.io_threads;
  http_opts.worker_threads = cfg.worker_threads;
  http_opts.request_timeout = std::chrono::milliseconds(cfg.request_timeout_ms);
  server::AdminHandler admin(store.get(), cfg.test_clock ? &clock : nullptr);
  auto server = http::Server::Start(
      http_opts,
      [&](http::HttpRequest& req) {
        if (auto r = admin.Handle(req)) return std::move(*r);
        return dispatcher.Handle(req);
      },
      [&](int status, std::string_view reason) {
        return dispatcher.TransportError(status, reason);
      });
  if (!server.ok()) {
    std::cerr << "swasd: " << server.error().message() << "\n";
    return 1;
  }
  const int64_t audit_retention_ms = int64_t{cfg.audit_retention_days} * 24 * 3600 * 1000;
  Janitor janitor(store.get(), &clock, &mutator,
                  {[&] {
                    auto pruned = actiontrail::Prune(*store, clock.NowUnixMillis() - audit_retention_ms);
                    if (!pruned.ok()) {
                      spdlog::warn("audit event prune failed: {}", pruned.error().message());
                    } else if (*pruned > 0) {
                      spdlog::info("pruned {} audit events older than {} days", *pruned,
                                   cfg.audit_retention_days);
                    }
                  }});
  std::cout << "swasd listening on http://" << host << ":" << (*server)->port()
            << std::endl;
  (*server)->Run();
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace swasd

int main(int argc, char** argv) {
  swasd::Config cfg;
  CLI::App app{"swasd: Alibaba Cloud Simple Application Server API, self-hosted"};
  app.set_config("--config", "", "TOML config file (keys as the long flags)")
      ->envname("SWASD_CONFIG");
  app.add_option("--listen", cfg.listen, "HOST:PORT to serve on (port 0: any free port)")
      ->envname("SWASD_LISTEN")->capture_default_str();
  app.add_option("--data-dir", cfg.data_dir, "Directory of the embedded SQLite store")
      ->envname("SWASD_DATA_DIR")->capture_default_str();
  app.add_option("--database", cfg.database,
                 "postgresql://USER[:PASSWORD]@HOST[:PORT]/DB: keep state in PostgreSQL "
                 "(shared by any number of nodes) instead of --data-dir")
      ->envname("SWASD_DATABASE");
  app.add_option("--master-key-file", cfg.master_key_file,
                 "PostgreSQL: the 32-byte key (raw or hex) sealing AccessKey secrets, the same "
                 "file on every node; created when the database is new")
      ->envname("SWASD_MASTER_KEY_FILE");
  app.add_option("--fault-injection", cfg.fault_injection)  // hidden (group "")
      ->envname("SWASD_FAULT_INJECTION")->group("");
  app.add_option("--io-threads", cfg.io_threads, "HTTP I/O threads")
      ->envname("SWASD_IO_THREADS")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--worker-threads", cfg.worker_threads, "Threads running handlers (store work)")
      ->envname("SWASD_WORKER_THREADS")->check(CLI::Range(1, 256))->capture_default_str();
  app.add_option("--log-level", cfg.log_level, "trace|debug|info|warn|error")
      ->envname("SWASD_LOG_LEVEL")->capture_default_str();
  app.add_option("--public-endpoint", cfg.public_endpoint,
                 "RegionEndpoint answered by ListRegions (default: the Host the caller used)")
      ->envname("SWASD_PUBLIC_ENDPOINT");
  app.add_option("--regions", cfg.regions, "Serve only these region ids (default: all SWAS regions)")
      ->envname("SWASD_REGIONS")->delimiter(',');
  app.add_option("--max-skew-seconds", cfg.max_skew_seconds,
                 "Accepted clock skew of signed requests")
      ->envname("SWASD_MAX_SKEW_SECONDS")->check(CLI::Range(1, 86400))->capture_default_str();
  app.add_option("--request-timeout-ms", cfg.request_timeout_ms,
                 "Time to receive one request; also the keep-alive idle time")
      ->envname("SWASD_REQUEST_TIMEOUT_MS")->check(CLI::Range(100, 3600000))->capture_default_str();
  app.add_option("--swas-instance-ready-ms", cfg.swas_instance_ready_ms,
                 "How long SWAS instances stay Pending/Starting/Stopping")
      ->envname("SWASD_SWAS_INSTANCE_READY_MS")->check(CLI::Range(0, 3600000))->capture_default_str();
  app.add_option("--swas-snapshot-ready-ms", cfg.swas_snapshot_ready_ms,
                 "How long SWAS snapshots stay Progressing")
      ->envname("SWASD_SWAS_SNAPSHOT_READY_MS")->check(CLI::Range(0, 3600000))->capture_default_str();
  app.add_option("--swas-image-ready-ms", cfg.swas_image_ready_ms,
                 "How long SWAS custom images stay creating (\"4\")")
      ->envname("SWASD_SWAS_IMAGE_READY_MS")->check(CLI::Range(0, 3600000))->capture_default_str();
  app.add_option("--ecs-instance-ready-ms", cfg.ecs_instance_ready_ms,
                 "How long ECS instances stay Pending/Starting/Stopping")
      ->envname("SWASD_ECS_INSTANCE_READY_MS")->check(CLI::Range(0, 3600000))->capture_default_str();
  app.add_option("--vpc-ready-ms", cfg.vpc_ready_ms,
                 "How long VPCs and vSwitches stay Pending")
      ->envname("SWASD_VPC_READY_MS")->check(CLI::Range(0, 3600000))->capture_default_str();
  app.add_option("--ram-mode", cfg.ram_mode,
                 "enforce: RAM policies decide; soft: log the decision and allow")
      ->envname("SWASD_RAM_MODE")->check(CLI::IsMember({"enforce", "soft"}))->capture_default_str();
  app.add_flag("--test-clock", cfg.test_clock,
               "Tests only: POST /_test/clock/advance?seconds=N moves swasd's clock forward");
  app.add_flag("--strict-answers", cfg.strict_answers,
               "Tests: answer InternalError when a handler's answer does not fit the SDK's model")
      ->envname("SWASD_STRICT_ANSWERS");
  app.add_option("--default-region", cfg.default_region,
                 "Region of a call that sends no RegionId and did not call a regional "
                 "endpoint name such as swas.<region>.aliyuncs.com (\"\": MissingParameter)")
      ->envname("SWASD_DEFAULT_REGION")->capture_default_str();
  app.add_option("--client-token-ttl-hours", cfg.client_token_ttl_hours,
                 "How long a ClientToken is remembered")
      ->envname("SWASD_CLIENT_TOKEN_TTL_HOURS")->check(CLI::Range(1, 24 * 365))->capture_default_str();
  app.add_option("--audit-retention-days", cfg.audit_retention_days,
                 "How long audit events (ActionTrail LookupEvents) are kept")
      ->envname("SWASD_AUDIT_RETENTION_DAYS")->check(CLI::Range(1, 3650))->capture_default_str();
  app.add_option("--throttle", cfg.throttle,
                 "Flow control per account and action: '<Action>=<N>/s|m[,burst=<B>]', "
                 "'*=...' for every other action; repeat or separate with ';' (off by default)")
      ->envname("SWASD_THROTTLE")->delimiter(';');
  app.add_flag("--enable-fault-injection", cfg.enable_fault_injection,
               "Tests of clients: let the root account inject errors at runtime "
               "(SetFaultRule, swasd admin Version 2026-12-01); never in production")
      ->envname("SWASD_ENABLE_FAULT_INJECTION");
  app.add_flag("--dump-operations", cfg.dump_operations,
               "Print the operation table as JSON and exit");
  app.add_flag("--coverage-markdown", cfg.coverage_markdown,
               "Print the operation table as docs/coverage.md's generated part and exit");
  CLI11_PARSE(app, argc, argv);
  return swasd::Run(cfg);
}
