// swasd: the composition root. Reads configuration (flags > environment >
// config file), opens the store, makes sure the root account exists,
// registers every product's operations, and serves HTTP until SIGTERM.
// This is the only place that names concrete implementations.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

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
#include "base/ids.h"
#include "gateway/authn.h"
#include "gateway/authz.h"
#include "gateway/dispatcher.h"
#include "gateway/nonce_cache.h"
#include "gateway/faults.h"
#include "gateway/idempotency.h"
#include "gateway/registry.h"
#include "gateway/throttle.h"
#include "http/server.h"
#include "state/fixture.h"
#include "store/accounts.h"
#include "store/faulty/faulty_store.h"
#include "store/factory/factory.h"
#include "actiontrail/api/routes.h"
#include "admin/api/routes.h"
#include "actiontrail/events.h"
#include "ecs/api/routes.h"
#include "iam/api/routes.h"
#include "iam/authorizer.h"
#include "iam/service.h"
#include "console/console.h"
#include "server/admin_handler.h"
#include "server/healthcheck.h"
#include "server/metrics.h"
#include "server/request_log.h"
#include "ecs/model.h"
#include "ecs/service.h"
#include "swas/api/routes.h"
#include "swas/model.h"
#include "swas/regions.h"
#include "swas/service.h"
#include "vpc/api/routes.h"
#include "vpc/model.h"
#include "vpc/service.h"

#ifndef SWASD_VERSION
#define SWASD_VERSION "0.0.0-dev"
#endif

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
  std::string log_format = "text";
  bool metrics_public = false;
  std::string tls_listen = "127.0.0.1:8443";
  std::string tls_cert;
  std::string tls_key;
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
  std::string fixture;  // --fixture FILE (src/state/fixture.h)
  bool enable_state_reset = false;
  // Fast test loops (docs/testing.md).
  bool ephemeral = false;            // state in memory only
  bool data_dir_given = false;       // --data-dir (or its env/config key) was set
  std::string deterministic_ids;     // SEED; empty: random ids
  bool dump_operations = false;
  bool coverage_markdown = false;
};

// Periodic housekeeping off the request path: forget expired nonces, then
// run `chores` (each logs its own failures).
class Janitor {
 public:
  Janitor(store::Store* store, const Clock* clock, const gateway::Mutator* mutator,
          server::Metrics* metrics, std::vector<std::function<void()>> chores = {})
      : store_(store),
        clock_(clock),
        mutator_(mutator),
        metrics_(metrics),
        chores_(std::move(chores)) {
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
      int64_t purged = 0;
      Status s = store_->Write([&](store::Tx& tx) -> Status {
        auto n = tx.PurgeNonces(now);
        if (!n.ok()) return std::move(n).error();
        purged = *n;
        return Status::Ok();
      });
      if (!s.ok()) spdlog::warn("nonce purge failed: {}", s.error().message());
      if (s.ok()) metrics_->AddNoncesPurged(purged);
      s = mutator_->Purge();
      if (!s.ok()) spdlog::warn("client token purge failed: {}", s.error().message());
      for (const auto& chore : chores_) chore();
      l.lock();
    }
  }

  store::Store* store_;
  const Clock* clock_;
  const gateway::Mutator* mutator_;
  server::Metrics* metrics_;
  std::vector<std::function<void()>> chores_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// HOST:PORT (IPv6 hosts in brackets); the port is 0..65535 in decimal
// digits only.
bool SplitHostPort(const std::string& s, std::string* host, uint16_t* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  *host = s.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  std::string digits = s.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int p = std::stoi(digits);
  if (p > 65535) return false;
  *port = static_cast<uint16_t>(p);
  return !host->empty();
}

// CLI11 check for --listen and --tls-listen.
std::string CheckHostPort(const std::string& s) {
  std::string host;
  uint16_t port = 0;
  if (SplitHostPort(s, &host, &port)) return "";
  return "must be HOST:PORT with a port from 0 to 65535, got '" + s + "'";
}

// spdlog flag %* for the JSON pattern: the message as a JSON string body.
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char ch : msg.payload) {
      auto c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(ch);
      } else if (c < 0x20 || c >= 0x7f) {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        dest.append(esc, esc + 6);
      } else {
        dest.push_back(ch);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// Diagnostics go to stderr, like the request log, in the same format:
// "TIME LEVEL message" or one JSON object per line.
void SetUpLogging(const Config& cfg, server::LogFormat format) {
  std::shared_ptr<spdlog::logger> logger;
  auto formatter = std::make_unique<spdlog::pattern_formatter>(
      spdlog::pattern_time_type::utc);
  if (format == server::LogFormat::kJson) {
    logger = spdlog::stderr_logger_mt("swasd");
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        "{\"time\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",\"msg\":\"%*\"}");
  } else {
    logger = spdlog::stderr_color_mt("swasd");
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v");
  }
  logger->set_formatter(std::move(formatter));
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
}

// --ephemeral and --deterministic-ids (docs/testing.md): refuses what they
// cannot be combined with (returns 2, having said why), else announces
// them and switches ids to the seed. Returns 0 to go on.
int CheckTestLoopFlags(const Config& cfg) {
  if (cfg.ephemeral) {
    const char* clash = !cfg.database.empty()        ? "--database"
                        : cfg.data_dir_given          ? "--data-dir"
                        : !cfg.master_key_file.empty() ? "--master-key-file"
                                                       : nullptr;
    if (clash != nullptr) {
      std::cerr << "swasd: --ephemeral keeps the state in memory and writes no file: it "
                   "cannot be combined with " << clash << "\n";
      return 2;
    }
    spdlog::warn("ephemeral: nothing survives exit (the store is in memory, never written "
                 "to disk; /healthz answers \"Durable\":false)");
  }
  if (!cfg.deterministic_ids.empty()) {
    // A kept store restarted with the same seed would draw the ids its
    // rows already have.
    if (!cfg.ephemeral) {
      std::cerr << "swasd: --deterministic-ids needs --ephemeral: ids drawn again from the "
                   "same seed would collide with those a kept store already holds\n";
      return 2;
    }
    ids::UseDeterministicIds(cfg.deterministic_ids);
    spdlog::warn("deterministic ids: resource, account, AccessKey and request ids come "
                 "from seed '{}', never use outside tests", cfg.deterministic_ids);
  }
  return 0;
}

int Run(const Config& cfg) {
  server::LogFormat log_format = server::LogFormat::kText;
  (void)server::ParseLogFormat(cfg.log_format, &log_format);  // checked by CLI11
  SetUpLogging(cfg, log_format);
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
  const ecs::InstanceTypeCatalog& instance_types = ecs::InstanceTypeCatalog::Builtin();
  vpc::Service vpc_service(&clock,
                           [&zones](std::string_view zone, std::string_view region) {
                             return zones.Has(region, zone);
                           },
                           {.ready_ms = cfg.vpc_ready_ms});
  // ECS security groups live in VPCs; key pairs stand alone.
  ecs::SecurityGroups ecs_security_groups(&vpc_service, &clock);
  ecs::KeyPairs ecs_key_pairs(&clock);
  ecs::Service ecs_service(&swas_service, &vpc_service, &ecs_security_groups, &ecs_key_pairs,
                           &regions, &zones, &instance_types, &clock,
                           {.instance_transition_ms = cfg.ecs_instance_ready_ms});
  vpc_service.SetDependents(
      {.instances_in_vswitch = [&ecs_service](store::Tx& tx, const std::string& account,
                                              const std::string& vswitch_id) {
         return ecs_service.CountInVSwitch(tx, account, vswitch_id);
       },
       .security_groups_in_vpc = [&ecs_security_groups](
                                     store::Tx& tx, const std::string& account,
                                     const std::string& region,
                                     const std::string& vpc_id) -> Result<int64_t> {
         ecs::SecurityGroupFilter f;
         f.vpc_id = vpc_id;
         SWASD_ASSIGN_OR_RETURN(auto groups, ecs_security_groups.List(tx, account, region, f));
         return static_cast<int64_t>(groups.size());
       }});
  ecs::api::Services ecs_services;
  ecs_services.regions = &regions;
  ecs_services.service = &ecs_service;
  ecs_services.public_endpoint = cfg.public_endpoint;
  vpc::api::Services vpc_services;
  vpc_services.service = &vpc_service;
  ecs_services.security_groups = &ecs_security_groups;
  ecs_services.key_pairs = &ecs_key_pairs;
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

  std::string host, tls_host;
  uint16_t port = 0, tls_port = 0;
  // Checked by CLI11 already; kept for the values' sake.
  if (!SplitHostPort(cfg.listen, &host, &port) ||
      !SplitHostPort(cfg.tls_listen, &tls_host, &tls_port)) {
    std::cerr << "swasd: --listen and --tls-listen must be HOST:PORT\n";
    return 2;
  }
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
    std::cerr << "swasd: --tls-cert and --tls-key go together: give both or neither\n";
    return 2;
  }

  // Declared before the store, which reports its commits to it, so that it
  // outlives the store.
  std::unique_ptr<server::Metrics> metrics_owner;
  if (int refused = CheckTestLoopFlags(cfg); refused != 0) return refused;
  auto opened = store::OpenStore({.data_dir = cfg.data_dir,
                                  .database = cfg.database,
                                  .master_key_file = cfg.master_key_file,
                                  .ephemeral = cfg.ephemeral});
  if (!opened.ok()) {
    std::cerr << "swasd: " << opened.error().message() << "\n";
    return 1;
  }
  std::unique_ptr<store::Store> store = std::move(opened).value();
  metrics_owner = std::make_unique<server::Metrics>(SWASD_VERSION,
                                                    std::string(store->Backend()));
  server::Metrics& metrics = *metrics_owner;
  // On the committing store itself: a fault-injecting wrapper would not
  // forward it.
  store->SetCommitObserver(&metrics);
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
  // --fixture: checked whole before anything else; applied once, to a
  // store that has no account yet. A Root entry makes the root account,
  // so it goes before EnsureRootAccount; otherwise swasd makes the root
  // (and its credentials file) as usual and the fixture follows.
  std::optional<state::Fixture> fixture;
  bool fresh_store = false;
  if (!cfg.fixture.empty()) {
    auto loaded = state::Fixture::Load(cfg.fixture);
    if (!loaded.ok()) {
      std::cerr << "swasd: --fixture: " << loaded.error().message() << "\n";
      return 2;
    }
    fixture = std::move(*loaded);
    Status counted = store->Read([&](store::Tx& tx) -> Status {
      SWASD_ASSIGN_OR_RETURN(auto accounts, tx.ListAccounts());
      fresh_store = accounts.empty();
      return Status::Ok();
    });
    if (!counted.ok()) {
      std::cerr << "swasd: " << counted.error().message() << "\n";
      return 1;
    }
  }
  const state::FixtureContext fixture_context{&regions, &clock};
  auto seed = [&]() -> bool {
    auto made = state::Seed(*store, *fixture, fixture_context);
    if (!made.ok()) {
      std::cerr << "swasd: --fixture: " << made.error().message() << "\n";
      return false;
    }
    spdlog::info("fixture {} applied: {} accounts", cfg.fixture, (*made)["Accounts"].size());
    return true;
  };
  const bool fixture_makes_root = fixture && !fixture->accounts().empty() &&
                                  fixture->accounts().front().root;
  if (fixture && fresh_store && fixture_makes_root && !seed()) return 1;
  store::RootOptions root = store::RootOptionsFromEnv();
  // Ephemeral: a generated root key is only printed; a file would outlive
  // the account it names.
  if (!cfg.ephemeral) root.credentials_file = cfg.data_dir + "/root-credentials";
  auto ensured = store::EnsureRootAccount(*store, clock, root);
  if (!ensured.ok()) {
    std::cerr << "swasd: " << ensured.error().message() << "\n";
    return 1;
  }
  if (fixture && fresh_store && !fixture_makes_root && !seed()) return 1;
  admin_services.operator_account = ensured->account.account_id;
  admin_services.store = store.get();
  admin_services.state_reset = cfg.enable_state_reset;
  admin_services.fixture = fixture ? &*fixture : nullptr;
  admin_services.fixture_context = fixture_context;
  if (cfg.enable_state_reset) {
    spdlog::warn("state reset enabled: the root account {} may reset every account's "
                 "state (ResetState, Version 2026-12-01)", ensured->account.account_id);
  }
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
              << (root.credentials_file.empty()
                      ? std::string("\nswasd: (not saved: --ephemeral)")
                      : "\nswasd: (saved to " + root.credentials_file + ")")
              << std::endl;
  }

  gateway::NonceCache recent_nonces;
  metrics.set_nonce_cache(&recent_nonces);
  gateway::Authenticator authn(store.get(), &clock,
                               {.max_skew = std::chrono::seconds(cfg.max_skew_seconds),
                                .recent_nonces = &recent_nonces});
  iam::RamAuthorizer authz(store.get(), &iam_service, &clock,
                          cfg.ram_mode == "soft" ? iam::RamMode::kSoft : iam::RamMode::kEnforce);
  gateway::DispatcherOptions dispatcher_options{
      .strict_answers = cfg.strict_answers,
      .default_region = cfg.default_region,
      .audit = &audit,
      .throttle = throttle.enabled() ? &throttle : nullptr,
      .faults = faults ? &*faults : nullptr};

  http::ServerOptions http_opts;
  http_opts.host = host;
  http_opts.port = port;
  http_opts.io_threads = cfg.io_threads;
  http_opts.request_timeout = std::chrono::milliseconds(cfg.request_timeout_ms);
  http_opts.tls_host = tls_host;
  http_opts.tls_port = tls_port;
  http_opts.tls_cert_file = cfg.tls_cert;
  http_opts.tls_key_file = cfg.tls_key;

  server::ResourceCounts resources(
      store.get(),
      {swas::kInstanceKind, swas::kDiskKind, swas::kSnapshotKind, swas::kImageKind,
       swas::kFirewallKind, ecs::kInstanceKind, ecs::kDiskKind, vpc::kVpcKind,
       vpc::kVSwitchKind, iam::kUserKind, iam::kRoleKind, iam::kPolicyKind},
      std::chrono::seconds(10));
  server::AdminHandler admin(
      store.get(),
      {.test_clock = cfg.test_clock ? &clock : nullptr,
       .version = SWASD_VERSION,
       .metrics = [&] { return metrics.Render(resources.Get()); },
       .metrics_public = cfg.metrics_public});
  // The web console (docs/console.md): static files and the explorer's
  // model, made from the same registry the dispatcher routes by.
  const console::Handler web_console(console::EmbeddedAssets(),
                                     console::ExplorerModel(registry).dump());
  const server::RequestLog request_log(log_format, STDERR_FILENO);
  // What is logged of a request, copied before the request moves on.
  struct Seen {
    std::chrono::steady_clock::time_point began;
    std::string method, path, client;
    size_t bytes_in;
    bool tls;
  };
  // On the connection's I/O thread: metrics, the log line, the answer.
  auto finish = [&](const Seen& seen, const gateway::CallRecord* call,
                    const http::HttpResponse& resp) {
    const auto took = std::chrono::steady_clock::now() - seen.began;
    metrics.RequestFinished();
    if (call != nullptr) metrics.ObserveCall(*call, took);
    // API calls at info; the admin endpoints (health checks, scrapes)
    // only at debug, so they do not drown the calls.
    if (spdlog::should_log(call != nullptr ? spdlog::level::info : spdlog::level::debug)) {
      request_log.Write({.time = std::chrono::system_clock::now(),
                         .call = call,
                         .method = seen.method,
                         .path = seen.path,
                         .status = resp.status,
                         .latency = took,
                         .bytes_in = seen.bytes_in,
                         .bytes_out = resp.body.size(),
                         .client = seen.client,
                         .tls = seen.tls});
    }
  };
  // SQLite writes asynchronously: requests run on the I/O threads and
  // only handlers that may block go to the pool. Otherwise (PostgreSQL, a
  // fault-injecting wrapper) every request runs on the pool.
  const bool event_loop = store->AsyncWrites();
  http::WorkerPool workers(cfg.worker_threads);
  if (event_loop) {
    dispatcher_options.offload = [&workers](std::function<void()> task) {
      workers.Post(std::move(task));
    };
  }
  gateway::Dispatcher dispatcher(&registry, &authn, &authz, &clock, dispatcher_options);
  auto server = http::Server::Start(
      http_opts,
      [&](http::HttpRequest&& req, http::Responder responder) {
        metrics.RequestStarted();
        std::string_view target = req.target;
        Seen seen{.began = std::chrono::steady_clock::now(),
                  .method = req.method,
                  .path = std::string(target.substr(0, target.find('?'))),
                  .client = req.remote_ip,
                  .bytes_in = req.body.size(),
                  .tls = req.secure};
        if (auto r = admin.Handle(req)) {
          finish(seen, nullptr, *r);
          return responder.Reply(std::move(*r));
        }
        if (auto r = web_console.Handle(req)) {
          finish(seen, nullptr, *r);
          return responder.Reply(std::move(*r));
        }
        auto dispatch = [&dispatcher, &finish, responder, seen = std::move(seen),
                         req = std::move(req)]() mutable {
          dispatcher.Dispatch(
              std::move(req), [&finish, responder, seen = std::move(seen)](
                                  http::HttpResponse resp, gateway::CallRecord call) {
                // Back on the connection's thread: logging is not the
                // writer's (or a worker's) work.
                responder.Post([&finish, responder, seen, resp = std::move(resp),
                                call = std::move(call)]() mutable {
                  finish(seen, &call, resp);
                  // An injected delay (gateway/faults.h) holds the answer.
                  responder.ReplyAfter(call.delay, std::move(resp));
                });
              });
        };
        if (event_loop) return dispatch();
        workers.Post(std::move(dispatch));
      },
      [&](int status, std::string_view reason) {
        gateway::CallRecord call;
        http::HttpResponse resp = dispatcher.TransportError(status, reason, &call);
        metrics.ObserveCall(call, std::chrono::nanoseconds(0));
        if (spdlog::should_log(spdlog::level::info)) {
          request_log.Write({.time = std::chrono::system_clock::now(),
                             .call = &call,
                             .status = resp.status,
                             .bytes_out = resp.body.size()});
        }
        return resp;
      });
  if (!server.ok()) {
    std::cerr << "swasd: " << server.error().message() << "\n";
    return 1;
  }
  const int64_t audit_retention_ms = int64_t{cfg.audit_retention_days} * 24 * 3600 * 1000;
  Janitor janitor(store.get(), &clock, &mutator, &metrics,
                  {[&] {
                    auto pruned = actiontrail::Prune(*store, clock.NowUnixMillis() - audit_retention_ms);
                    if (!pruned.ok()) {
                      spdlog::warn("audit event prune failed: {}", pruned.error().message());
                    } else if (*pruned > 0) {
                      spdlog::info("pruned {} audit events older than {} days", *pruned,
                                   cfg.audit_retention_days);
                    }
                  }});
  // The https line first: whoever waits for the http line (tests, scripts)
  // then has both.
  if (!cfg.tls_cert.empty()) {
    std::cout << "swasd listening on https://" << tls_host << ":"
              << (*server)->tls_port() << "\n";
  }
  std::cout << "swasd listening on http://" << host << ":" << (*server)->port()
            << std::endl;
  (*server)->Run();
  // Before the server (and its I/O context) goes: no task or commit may
  // still be delivering an answer into it.
  workers.Join();
  store->Drain();
  spdlog::info("stopped");
  return 0;
}

// `swasd healthcheck`: the configured --listen address's GET /healthz,
// one line on stdout; 0 when healthy, 1 otherwise (what container health
// checks and service managers expect).
int RunHealthCheck(const Config& cfg, int timeout_ms) {
  std::string host;
  uint16_t port = 0;
  (void)SplitHostPort(cfg.listen, &host, &port);  // checked by CLI11
  server::HealthResult r = server::CheckHealth(server::HealthCheckHost(host), port,
                                               std::chrono::milliseconds(timeout_ms));
  std::cout << r.line << std::endl;
  return r.healthy ? 0 : 1;
}

}  // namespace
}  // namespace swasd

int main(int argc, char** argv) {
  swasd::Config cfg;
  CLI::App app{"swasd: Alibaba Cloud Simple Application Server API, self-hosted"};
  app.set_version_flag("--version", std::string("swasd ") + SWASD_VERSION);
  // SWASD_CONFIG is the default file name rather than the option's envname:
  // CLI11 (2.1) reads the environment only after the config file, so an
  // envname here would be ignored. A file named there must exist.
  const char* env_config = std::getenv("SWASD_CONFIG");
  const std::string default_config = env_config != nullptr ? env_config : "";
  app.set_config("--config", default_config,
                 "TOML config file (keys as the long flags; env SWASD_CONFIG)",
                 /*config_required=*/!default_config.empty());
  // A key the file does not know is a mistake (a typo would otherwise
  // silently leave the default): refuse to start.
  app.allow_config_extras(CLI::config_extras_mode::error);
  const CLI::Validator host_port(swasd::CheckHostPort, "HOST:PORT");
  app.add_option("--listen", cfg.listen, "HOST:PORT to serve HTTP on (port 0: any free port)")
      ->envname("SWASD_LISTEN")->check(host_port)->capture_default_str();
  app.add_option("--tls-listen", cfg.tls_listen,
                 "HOST:PORT to serve HTTPS on, with --tls-cert and --tls-key")
      ->envname("SWASD_TLS_LISTEN")->check(host_port)->capture_default_str();
  app.add_option("--tls-cert", cfg.tls_cert,
                 "PEM certificate chain (leaf first) for HTTPS; HTTP keeps serving on --listen")
      ->envname("SWASD_TLS_CERT");
  app.add_option("--tls-key", cfg.tls_key, "PEM private key of --tls-cert")
      ->envname("SWASD_TLS_KEY");
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
  app.add_option("--worker-threads", cfg.worker_threads, "Threads for calls that may block on a commit (SQLite: a few; PostgreSQL: every call)")
      ->envname("SWASD_WORKER_THREADS")->check(CLI::Range(1, 256))->capture_default_str();
  app.add_option("--log-level", cfg.log_level,
                 "trace|debug|info|warn|error|off (the request log is info; /healthz and "
                 "/metrics requests are debug)")
      ->envname("SWASD_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--log-format", cfg.log_format, "text|json: the request log and diagnostics")
      ->envname("SWASD_LOG_FORMAT")->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_flag("--metrics-public", cfg.metrics_public,
               "Serve GET /metrics to every client, not only loopback ones")
      ->envname("SWASD_METRICS_PUBLIC");
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
               "Tests only: POST /_test/clock/advance?seconds=N moves swasd's clock forward")
      ->envname("SWASD_TEST_CLOCK");
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
  app.add_option("--fixture", cfg.fixture,
                 "JSON fixture (docs/testing.md) applied to a new store, and what "
                 "ResetState ToFixture restores")
      ->envname("SWASD_FIXTURE");
  app.add_flag("--enable-state-reset", cfg.enable_state_reset,
               "Tests: let the root account reset state to empty or to the fixture "
               "(ResetState, swasd admin Version 2026-12-01); never in production")
      ->envname("SWASD_ENABLE_STATE_RESET");
  app.add_flag("--ephemeral", cfg.ephemeral,
               "Tests: keep the state in memory only, nothing on disk, nothing survives exit "
               "(not with --database or --data-dir)")
      ->envname("SWASD_EPHEMERAL");
  app.add_option("--deterministic-ids", cfg.deterministic_ids,
                 "Tests (with --ephemeral): draw ids from SEED, so the same calls give the "
                 "same ids on every run (docs/testing.md)")
      ->envname("SWASD_DETERMINISTIC_IDS");
  app.add_flag("--dump-operations", cfg.dump_operations,
               "Print the operation table as JSON and exit");
  app.add_flag("--coverage-markdown", cfg.coverage_markdown,
               "Print the operation table as docs/coverage.md's generated part and exit");
  // Reads the same flags, environment and config file as the server, so it
  // finds the server its configuration describes. Options after the word
  // fall through to the server's (`swasd healthcheck --listen ...`).
  int healthcheck_timeout_ms = 3000;
  CLI::App* healthcheck = app.add_subcommand(
      "healthcheck",
      "GET /healthz of the swasd at --listen (0.0.0.0 and :: mean loopback), print one line, "
      "exit 0 when healthy and 1 otherwise");
  healthcheck->fallthrough();
  healthcheck->add_option("--timeout-ms", healthcheck_timeout_ms, "Time for the whole check")
      ->check(CLI::Range(100, 600000))->capture_default_str();
  // Flags win over the environment, which wins over the config file. CLI11
  // (2.1) reads the environment only for options the file left unset, so a
  // SWASD_<FLAG> of an option the command line does not give is passed as
  // that flag instead. An empty variable counts as unset, as CLI11 has it.
  std::vector<std::string> extra;
  for (const CLI::Option* opt : app.get_options()) {
    const std::string& env = opt->get_envname();
    const char* value = env.empty() ? nullptr : std::getenv(env.c_str());
    if (value == nullptr || *value == '\0' || opt->get_lnames().empty()) continue;
    const std::string flag = "--" + opt->get_lnames().front();
    bool given = false;
    for (int i = 1; i < argc; ++i) {
      std::string_view a = argv[i];
      given |= a == flag || (a.starts_with(flag) && a.size() > flag.size() && a[flag.size()] == '=');
    }
    if (!given) extra.push_back(flag + "=" + value);
  }
  std::vector<const char*> args(argv, argv + argc);
  for (const std::string& a : extra) args.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ConfigError& e) {
    // CLI11 says "INI was not able to parse KEY" for an unknown key.
    std::string what = e.what();
    constexpr std::string_view kExtra = "INI was not able to parse ";
    const CLI::Option* config = app.get_config_ptr();
    std::string file = config->count() > 0 ? config->as<std::string>() : default_config;
    if (what.starts_with(kExtra)) {
      std::string key = what.substr(kExtra.size());
      // A [section] header arrives as "section.++".
      if (key.ends_with(".++")) {
        std::cerr << "swasd: config file " << file << ": unknown section '["
                  << key.substr(0, key.size() - 3)
                  << "]' (swasd's keys are top-level, named as the long flags)\n";
      } else {
        std::cerr << "swasd: config file " << file << ": unknown key '" << key
                  << "' (keys are the long flags without --, e.g. listen, data-dir)\n";
      }
    } else {
      std::cerr << "swasd: config file " << file << ": " << what << "\n";
    }
    return 2;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*healthcheck) return swasd::RunHealthCheck(cfg, healthcheck_timeout_ms);
  cfg.data_dir_given = app.get_option("--data-dir")->count() > 0;
  return swasd::Run(cfg);
}
