// swasd_bench: a closed-loop HTTP/1.1 load generator for swasd and the
// baselines it is compared with (docs/performance.md).
//
//   swasd_bench share --port P --credentials DIR/root-credentials --images N
//   swasd_bench list  --port P --credentials DIR/root-credentials
//   swasd_bench raw   --port P --method GET --path /image.json
//   swasd_bench startup --port P --credentials FILE -- swasd --listen ... 
//
// N keep-alive connections each send a request, wait for the answer, and
// send the next (closed loop), for a fixed duration (after a warm-up that
// is not recorded) or a fixed request count. Every swasd request is signed
// (V3, ACS3-HMAC-SHA256) with protocol::Sign when it is sent, with a fresh
// nonce and the current timestamp: swasd refuses a replayed nonce, so
// pre-signed requests could not be reused.
//
// Workloads:
//   share  ModifyImageShareStatus over the images swasd_seed made: request
//          i targets image i mod N with Share on even passes over the images
//          and UnShare on odd ones, so on a freshly seeded store every
//          request really flips the flag (a write that must be fsync'd).
//   list   ListCustomImages, PageSize=10 (PageNumber=1).
//   raw    Any request, unsigned: --method, --path, --header (repeatable),
//          --body TEMPLATE (repeatable: request i uses body i mod count).
//          In the body, {id} is replaced by line i mod K of --ids-file and
//          {alt} by the first or second --alt value on even/odd passes over
//          the ids (the moto baseline: ModifyImageAttribute Add/Remove).
//   fsync  Not a load: the latency of a 4 KiB pwrite + fdatasync on a file
//          (--file) in the data dirs' file system, the floor under any
//          request that waits for a durable commit.
//   startup  Forks and execs the command after "--", then polls the port
//          with a signed ListRegions until it is answered 200, and prints
//          the milliseconds from fork to that answer. The child then gets
//          SIGTERM (or keeps running with --keep; its pid is printed).
//
// Output: a human line, plus with --kv one "RESULT key=value ..." line for
// scripts. Exit status: 0 when every request was answered 2xx; 1 when any
// failed (the first failure is printed); 2 on usage errors.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/encoding.h"
#include "bench/seed_ids.h"
#include "protocol/signer.h"

namespace swasd::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Config {
  std::string workload;
  std::string host = "127.0.0.1";
  int port = 8080;
  int connections = 32;
  int threads = 1;
  double duration_s = 10;
  double warmup_s = 1;
  int64_t requests = 0;  // > 0: a fixed count instead of a duration
  bool kv = false;
  std::string label;
  std::string save_body;  // write the first 2xx answer's body here
  // swasd
  std::string credentials;  // JSON {AccessKeyId, AccessKeySecret}
  std::string key_id, secret;
  std::string region = "cn-hangzhou";
  int64_t images = 10000;
  int64_t first_image = 0;
  int page_size = 10;
  std::string scheme = "v3";
  // raw
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::string> headers;
  std::vector<std::string> bodies;
  std::string ids_file;
  std::vector<std::string> alt;
  // startup
  int timeout_ms = 10000;
  bool keep = false;
  std::string child_log = "/dev/null";
  std::vector<std::string> command;
};

using Request = http::request<http::string_body>;

// Makes request number `seq`. Thread-safe.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual Request Make(uint64_t seq) const = 0;
};

// Fresh nonces: a random per-process prefix and a sequence number.
class Signer {
 public:
  explicit Signer(const Config& cfg)
      : cfg_(cfg),
        host_(cfg.host + ":" + std::to_string(cfg.port)),
        prefix_(HexLower(crypto::RandomBytes(8))) {}

  Request Make(std::string action, protocol::Params params) const {
    protocol::SignRequest r;
    r.method = "POST";
    r.host = host_;
    r.action = std::move(action);
    r.version = "2020-06-01";
    r.access_key_id = cfg_.key_id;
    r.secret = cfg_.secret;
    r.params = std::move(params);
    r.scheme = cfg_.scheme == "v1" ? protocol::SignatureScheme::kV1
                                   : protocol::SignatureScheme::kV3;
    r.nonce = prefix_ + "-" + std::to_string(nonce_seq_.fetch_add(1));
    r.timestamp = FormatIso8601(std::chrono::system_clock::now());
    auto signed_req = protocol::Sign(r);
    if (!signed_req.ok()) {
      std::cerr << "swasd_bench: sign: " << signed_req.error().message() << "\n";
      std::exit(2);
    }
    Request req(http::verb::post, signed_req->target, 11);
    for (const auto& [k, v] : signed_req->headers) req.set(k, v);
    req.set(http::field::user_agent, "swasd_bench");
    req.body() = std::move(signed_req->body);
    req.keep_alive(true);
    req.prepare_payload();
    return req;
  }

 private:
  const Config& cfg_;
  std::string host_;
  std::string prefix_;
  mutable std::atomic<uint64_t> nonce_seq_{0};
};

class ShareWorkload final : public Workload {
 public:
  explicit ShareWorkload(const Config& cfg) : cfg_(cfg), signer_(cfg) {}
  Request Make(uint64_t seq) const override {
    const uint64_t n = static_cast<uint64_t>(std::max<int64_t>(1, cfg_.images));
    protocol::Params p;
    (void)p.Add("RegionId", cfg_.region);
    (void)p.Add("ImageId", SeedImageId(static_cast<uint64_t>(cfg_.first_image) + seq % n));
    (void)p.Add("Operation", (seq / n) % 2 == 0 ? "Share" : "UnShare");
    return signer_.Make("ModifyImageShareStatus", std::move(p));
  }

 private:
  const Config& cfg_;
  Signer signer_;
};

class ListWorkload final : public Workload {
 public:
  explicit ListWorkload(const Config& cfg) : cfg_(cfg), signer_(cfg) {}
  Request Make(uint64_t) const override {
    protocol::Params p;
    (void)p.Add("RegionId", cfg_.region);
    (void)p.Add("PageSize", std::to_string(cfg_.page_size));
    (void)p.Add("PageNumber", "1");
    return signer_.Make("ListCustomImages", std::move(p));
  }

 private:
  const Config& cfg_;
  Signer signer_;
};

class RegionsWorkload final : public Workload {
 public:
  explicit RegionsWorkload(const Config& cfg) : signer_(cfg) {}
  Request Make(uint64_t) const override {
    return signer_.Make("ListRegions", {});
  }

 private:
  Signer signer_;
};

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos;
       pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

class RawWorkload final : public Workload {
 public:
  explicit RawWorkload(const Config& cfg) : cfg_(cfg) {
    verb_ = http::string_to_verb(cfg.method);
    if (verb_ == http::verb::unknown) {
      std::cerr << "swasd_bench: unknown method " << cfg.method << "\n";
      std::exit(2);
    }
    if (!cfg.ids_file.empty()) {
      std::ifstream in(cfg.ids_file);
      for (std::string line; std::getline(in, line);) {
        if (!line.empty()) ids_.push_back(line);
      }
      if (ids_.empty()) {
        std::cerr << "swasd_bench: no ids in " << cfg.ids_file << "\n";
        std::exit(2);
      }
    }
    for (const auto& h : cfg.headers) {
      size_t colon = h.find(':');
      if (colon == std::string::npos) {
        std::cerr << "swasd_bench: --header wants 'Name: value'\n";
        std::exit(2);
      }
      std::string v = h.substr(colon + 1);
      v.erase(0, v.find_first_not_of(' '));
      headers_.emplace_back(h.substr(0, colon), v);
    }
  }
  Request Make(uint64_t seq) const override {
    Request req(verb_, cfg_.path, 11);
    req.set(http::field::host, cfg_.host + ":" + std::to_string(cfg_.port));
    req.set(http::field::user_agent, "swasd_bench");
    for (const auto& [k, v] : headers_) req.set(k, v);
    if (!cfg_.bodies.empty()) {
      std::string body = cfg_.bodies[seq % cfg_.bodies.size()];
      if (!ids_.empty()) {
        ReplaceAll(body, "{id}", ids_[seq % ids_.size()]);
        if (cfg_.alt.size() >= 2) {
          ReplaceAll(body, "{alt}", cfg_.alt[(seq / ids_.size()) % 2]);
        }
      }
      req.body() = std::move(body);
    }
    req.keep_alive(true);
    req.prepare_payload();
    return req;
  }

 private:
  const Config& cfg_;
  http::verb verb_;
  std::vector<std::string> ids_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

struct Shared {
  const Workload* workload;
  tcp::endpoint endpoint;
  std::atomic<uint64_t> seq{0};
  int64_t max_requests = 0;  // 0: until `end`
  Clock::time_point record_from;
  Clock::time_point end;
  std::atomic<bool> stop{false};
  std::atomic<int> live{0};
  std::string save_body;
  std::atomic<bool> body_saved{false};

  std::mutex mu;  // guards the rest
  std::vector<uint32_t> latencies_us;
  uint64_t recorded = 0;
  uint64_t errors = 0;
  std::string first_error;
  Clock::time_point first_recorded_start = Clock::time_point::max();
  Clock::time_point last_recorded_end = Clock::time_point::min();

  void Fail(std::string what) {
    std::lock_guard<std::mutex> l(mu);
    ++errors;
    if (first_error.empty()) first_error = std::move(what);
  }
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, Shared& shared)
      : stream_(ioc), shared_(shared) {}
  ~Connection() {
    Flush();
    --shared_.live;
  }

  void Start() {
    ++shared_.live;
    stream_.async_connect(shared_.endpoint,
                          beast::bind_front_handler(&Connection::OnConnect,
                                                    shared_from_this()));
  }

 private:
  void OnConnect(beast::error_code ec) {
    if (ec) {
      shared_.Fail("connect: " + ec.message());
      shared_.stop = true;
      return;
    }
    stream_.socket().set_option(tcp::no_delay(true), ec);
    Send();
  }

  void Send() {
    if (shared_.stop) return;
    const auto now = Clock::now();
    if (shared_.max_requests == 0 && now >= shared_.end) return;
    const uint64_t seq = shared_.seq.fetch_add(1);
    if (shared_.max_requests > 0 &&
        seq >= static_cast<uint64_t>(shared_.max_requests)) {
      return;
    }
    req_ = shared_.workload->Make(seq);
    start_ = Clock::now();
    http::async_write(stream_, req_,
                      beast::bind_front_handler(&Connection::OnWrite,
                                                shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (ec) return Broken("write: " + ec.message());
    parser_.emplace();
    parser_->body_limit(64 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::OnRead,
                                               shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    const auto done = Clock::now();
    if (ec) return Broken("read: " + ec.message());
    auto& res = parser_->get();
    const unsigned status = res.result_int();
    const bool in_window =
        start_ >= shared_.record_from &&
        (shared_.max_requests > 0 || done <= shared_.end);
    if (status < 200 || status >= 300) {
      shared_.Fail("HTTP " + std::to_string(status) + ": " +
                   res.body().substr(0, 400));
    } else if (!shared_.save_body.empty() && !shared_.body_saved.exchange(true)) {
      std::ofstream(shared_.save_body, std::ios::binary) << res.body();
    }
    if (status >= 200 && status < 300 && in_window) {
      local_lat_.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(done - start_)
              .count()));
      first_start_ = std::min(first_start_, start_);
      last_end_ = std::max(last_end_, done);
      if (local_lat_.size() >= 4096) Flush();
    }
    if (!res.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().close(ignored);
      stream_.async_connect(shared_.endpoint,
                            beast::bind_front_handler(&Connection::OnConnect,
                                                      shared_from_this()));
      return;
    }
    Send();
  }

  void Broken(std::string what) {
    shared_.Fail(std::move(what));
    shared_.stop = true;
  }

  void Flush() {
    if (local_lat_.empty()) return;
    std::lock_guard<std::mutex> l(shared_.mu);
    shared_.latencies_us.insert(shared_.latencies_us.end(), local_lat_.begin(),
                                local_lat_.end());
    shared_.recorded += local_lat_.size();
    shared_.first_recorded_start =
        std::min(shared_.first_recorded_start, first_start_);
    shared_.last_recorded_end = std::max(shared_.last_recorded_end, last_end_);
    local_lat_.clear();
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  Request req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Clock::time_point start_;
  std::vector<uint32_t> local_lat_;
  Clock::time_point first_start_ = Clock::time_point::max();
  Clock::time_point last_end_ = Clock::time_point::min();
};

double Percentile(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(q * static_cast<double>(sorted.size()));
  return sorted[std::min(i, sorted.size() - 1)] / 1000.0;
}

std::unique_ptr<Workload> MakeWorkload(const Config& cfg) {
  if (cfg.workload == "share") return std::make_unique<ShareWorkload>(cfg);
  if (cfg.workload == "list") return std::make_unique<ListWorkload>(cfg);
  if (cfg.workload == "regions") return std::make_unique<RegionsWorkload>(cfg);
  return std::make_unique<RawWorkload>(cfg);
}

Result<tcp::endpoint> Resolve(const Config& cfg) {
  beast::error_code ec;
  auto addr = net::ip::make_address(cfg.host, ec);
  if (ec) {
    return Error("BadHost", 0, "--host must be an IP address: " + cfg.host);
  }
  return tcp::endpoint(addr, static_cast<uint16_t>(cfg.port));
}

int RunLoad(const Config& cfg) {
  auto endpoint = Resolve(cfg);
  if (!endpoint.ok()) {
    std::cerr << "swasd_bench: " << endpoint.error().message() << "\n";
    return 2;
  }
  auto workload = MakeWorkload(cfg);
  Shared shared;
  shared.workload = workload.get();
  shared.endpoint = *endpoint;
  shared.max_requests = cfg.requests;
  shared.save_body = cfg.save_body;
  const auto t0 = Clock::now();
  auto secs = [](double s) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(s));
  };
  shared.record_from = cfg.requests > 0 ? t0 : t0 + secs(cfg.warmup_s);
  shared.end = cfg.requests > 0 ? Clock::time_point::max()
                                : shared.record_from + secs(cfg.duration_s);
  shared.latencies_us.reserve(1 << 20);

  net::io_context ioc(cfg.threads);
  for (int i = 0; i < cfg.connections; ++i) {
    std::make_shared<Connection>(ioc, shared)->Start();
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < cfg.threads; ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();

  std::vector<uint32_t>& lat = shared.latencies_us;
  std::sort(lat.begin(), lat.end());
  double window = 0;
  if (cfg.requests > 0) {
    window = std::chrono::duration<double>(shared.last_recorded_end - t0).count();
  } else {
    window = cfg.duration_s;
  }
  const double rps = window > 0 ? static_cast<double>(lat.size()) / window : 0;
  const std::string label = cfg.label.empty() ? cfg.workload : cfg.label;
  char line[512];
  std::snprintf(line, sizeof line,
                "%s: %d conns, %llu ok in %.2fs = %.0f req/s; latency ms "
                "p50 %.3f p90 %.3f p99 %.3f p999 %.3f max %.3f; errors %llu",
                label.c_str(), cfg.connections,
                static_cast<unsigned long long>(lat.size()), window, rps,
                Percentile(lat, 0.50), Percentile(lat, 0.90),
                Percentile(lat, 0.99), Percentile(lat, 0.999),
                lat.empty() ? 0.0 : lat.back() / 1000.0,
                static_cast<unsigned long long>(shared.errors));
  std::cerr << line << "\n";
  if (!shared.first_error.empty()) {
    std::cerr << "first error: " << shared.first_error << "\n";
  }
  if (cfg.kv) {
    std::printf(
        "RESULT label=%s conns=%d ok=%llu seconds=%.3f rps=%.1f p50_ms=%.3f "
        "p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%llu\n",
        label.c_str(), cfg.connections,
        static_cast<unsigned long long>(lat.size()), window, rps,
        Percentile(lat, 0.50), Percentile(lat, 0.90), Percentile(lat, 0.99),
        Percentile(lat, 0.999), lat.empty() ? 0.0 : lat.back() / 1000.0,
        static_cast<unsigned long long>(shared.errors));
    std::fflush(stdout);
  }
  return (shared.errors == 0 && !lat.empty()) ? 0 : 1;
}

// One synchronous signed ListRegions; true when answered 200. The connect
// is a plain socket call, so polling a port nobody listens on yet costs
// the starting server next to no CPU.
bool Probe(const Config& cfg, const tcp::endpoint& ep, const Workload& w,
           std::string* why) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(ep.port());
  addr.sin_addr.s_addr = htonl(ep.address().to_v4().to_uint());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    *why = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return false;
  }
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.socket().assign(tcp::v4(), fd);
    auto req = w.Make(0);
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    if (res.result_int() == 200) return true;
    *why = "HTTP " + std::to_string(res.result_int()) + ": " + res.body();
    return false;
  } catch (const std::exception& e) {
    *why = e.what();
    return false;
  }
}

int RunStartup(const Config& cfg) {
  if (cfg.command.empty()) {
    std::cerr << "swasd_bench startup: give the command after --\n";
    return 2;
  }
  auto endpoint = Resolve(cfg);
  if (!endpoint.ok()) {
    std::cerr << "swasd_bench: " << endpoint.error().message() << "\n";
    return 2;
  }
  if (!endpoint->address().is_v4()) {
    std::cerr << "swasd_bench startup: --host must be an IPv4 address\n";
    return 2;
  }
  RegionsWorkload probe(cfg);
  std::vector<char*> argv;
  for (const auto& a : cfg.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto t0 = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    return 1;
  }
  if (pid == 0) {
    // The child must not hold our stdout: a caller reading it (a shell's
    // $(...)) would wait for the child to exit.
    int fd = ::open(cfg.child_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      if (fd > STDERR_FILENO) ::close(fd);
    }
    ::execvp(argv[0], argv.data());
    std::perror("execvp");
    ::_exit(127);
  }
  std::string why;
  bool answered = false;
  const auto deadline = t0 + std::chrono::milliseconds(cfg.timeout_ms);
  while (Clock::now() < deadline) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) {
      why = "the process exited before answering";
      pid = -1;
      break;
    }
    if (Probe(cfg, *endpoint, probe, &why)) {
      answered = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(1000));
  }
  const double ms =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (answered) {
    std::cerr << "startup: first signed request answered " << ms
              << " ms after fork\n";
  } else {
    std::cerr << "startup: no answer within " << cfg.timeout_ms
              << " ms: " << why << "\n";
  }
  if (cfg.kv) {
    std::printf("RESULT label=%s startup_ms=%.1f answered=%d pid=%d\n",
                cfg.label.empty() ? "startup" : cfg.label.c_str(), ms,
                answered ? 1 : 0, cfg.keep ? pid : 0);
    std::fflush(stdout);
  }
  if (pid > 0 && !(cfg.keep && answered)) {
    ::kill(pid, SIGTERM);
    int st = 0;
    ::waitpid(pid, &st, 0);
  }
  return answered ? 0 : 1;
}

// The disk's durable-write latency: write 4 KiB and fdatasync, n times
// (the cost of the one fsync a group commit makes per group).
int RunFsync(const Config& cfg) {
  const std::string path = cfg.path.empty() || cfg.path == "/"
                               ? "swasd_bench.fsync.tmp"
                               : cfg.path;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror(path.c_str());
    return 1;
  }
  const int64_t n = cfg.requests > 0 ? cfg.requests : 200;
  std::string block(4096, 'x');
  std::vector<uint32_t> lat;
  for (int64_t i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    if (::pwrite(fd, block.data(), block.size(), (i % 64) * 4096) !=
            static_cast<ssize_t>(block.size()) ||
        ::fdatasync(fd) != 0) {
      std::perror("write/fdatasync");
      ::close(fd);
      ::unlink(path.c_str());
      return 1;
    }
    lat.push_back(static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0)
            .count()));
  }
  ::close(fd);
  ::unlink(path.c_str());
  std::sort(lat.begin(), lat.end());
  std::fprintf(stderr, "fsync: 4 KiB pwrite+fdatasync x%lld: p50 %.3f p99 %.3f ms\n",
               static_cast<long long>(n), Percentile(lat, 0.5), Percentile(lat, 0.99));
  if (cfg.kv) {
    std::printf("RESULT label=%s ok=%lld p50_ms=%.3f p99_ms=%.3f\n",
                cfg.label.empty() ? "fsync" : cfg.label.c_str(),
                static_cast<long long>(n), Percentile(lat, 0.5),
                Percentile(lat, 0.99));
  }
  return 0;
}

bool LoadCredentials(Config& cfg) {
  if (cfg.credentials.empty()) return true;
  std::ifstream in(cfg.credentials);
  try {
    auto j = nlohmann::json::parse(
        std::string(std::istreambuf_iterator<char>(in), {}));
    cfg.key_id = j.at("AccessKeyId").get<std::string>();
    cfg.secret = j.at("AccessKeySecret").get<std::string>();
    return true;
  } catch (const std::exception& e) {
    std::cerr << "swasd_bench: cannot read " << cfg.credentials << ": "
              << e.what() << "\n";
    return false;
  }
}

}  // namespace
}  // namespace swasd::bench

int main(int argc, char** argv) {
  using swasd::bench::Config;
  Config cfg;
  CLI::App app{"swasd_bench: closed-loop HTTP load generator (signed swasd "
               "requests, or raw ones for baselines)"};
  app.require_subcommand(1);
  auto common = [&](CLI::App* c) {
    c->add_option("--host", cfg.host, "Server IP")->capture_default_str();
    c->add_option("--port", cfg.port, "Server port")->required();
    c->add_option("--label", cfg.label, "Name printed with the result");
    c->add_flag("--kv", cfg.kv, "Also print a RESULT key=value line on stdout");
  };
  auto load = [&](CLI::App* c) {
    common(c);
    c->add_option("-c,--connections", cfg.connections, "Keep-alive connections")
        ->check(CLI::Range(1, 10000))->capture_default_str();
    c->add_option("-t,--threads", cfg.threads, "Client I/O threads")
        ->check(CLI::Range(1, 64))->capture_default_str();
    c->add_option("-d,--duration", cfg.duration_s, "Measured seconds")
        ->capture_default_str();
    c->add_option("--warmup", cfg.warmup_s, "Unrecorded seconds first")
        ->capture_default_str();
    c->add_option("--save-body", cfg.save_body, "Write the first 2xx answer's body to this file");
    c->add_option("-n,--requests", cfg.requests,
                  "Send exactly this many requests (no warm-up) instead of a duration");
  };
  auto swasd_opts = [&](CLI::App* c) {
    c->add_option("--credentials", cfg.credentials,
                  "JSON file with AccessKeyId/AccessKeySecret (swasd_seed's DATA_DIR/root-credentials)");
    c->add_option("--key-id", cfg.key_id, "AccessKeyId (instead of --credentials)");
    c->add_option("--secret", cfg.secret, "AccessKeySecret");
    c->add_option("--region", cfg.region, "RegionId")->capture_default_str();
    c->add_option("--scheme", cfg.scheme, "v3 or v1")
        ->check(CLI::IsMember({"v3", "v1"}))->capture_default_str();
  };
  auto* share = app.add_subcommand("share", "ModifyImageShareStatus, alternating Share/UnShare");
  load(share);
  swasd_opts(share);
  share->add_option("--images", cfg.images, "Seeded images to cycle over")
      ->capture_default_str();
  share->add_option("--first-image", cfg.first_image,
                    "Index of the first seeded image (two loaders on disjoint images)")
      ->capture_default_str();
  auto* list = app.add_subcommand("list", "ListCustomImages, one page");
  load(list);
  swasd_opts(list);
  list->add_option("--page-size", cfg.page_size, "PageSize")->capture_default_str();
  auto* regions = app.add_subcommand("regions", "ListRegions (signed, no store write but the nonce)");
  load(regions);
  swasd_opts(regions);
  auto* raw = app.add_subcommand("raw", "Unsigned requests (nginx, moto baselines)");
  load(raw);
  raw->add_option("--method", cfg.method, "HTTP method")->capture_default_str();
  raw->add_option("--path", cfg.path, "Request target")->capture_default_str();
  raw->add_option("-H,--header", cfg.headers, "'Name: value' (repeatable)");
  raw->add_option("--body", cfg.bodies, "Body template (repeatable: round robin)");
  raw->add_option("--ids-file", cfg.ids_file, "Lines substituted for {id}");
  raw->add_option("--alt", cfg.alt, "Two values for {alt}: even/odd passes over the ids")
      ->delimiter(',');
  auto* startup = app.add_subcommand("startup", "Time from fork to the first answered signed request");
  common(startup);
  swasd_opts(startup);
  startup->add_option("--timeout-ms", cfg.timeout_ms, "Give up after")->capture_default_str();
  startup->add_flag("--keep", cfg.keep, "Leave the process running (pid in RESULT)");
  startup->add_option("--child-log", cfg.child_log, "The process's stdout and stderr")
      ->capture_default_str();
  startup->add_option("command", cfg.command, "The server command line, after --")
      ->required();
  auto* fsync = app.add_subcommand("fsync", "Latency of 4 KiB write + fdatasync on a file");
  fsync->add_option("--file", cfg.path, "Scratch file (removed after)")->required();
  fsync->add_option("-n,--requests", cfg.requests, "How many (default 200)");
  fsync->add_option("--label", cfg.label, "Name printed with the result");
  fsync->add_flag("--kv", cfg.kv, "Also print a RESULT key=value line on stdout");
  CLI11_PARSE(app, argc, argv);

  cfg.workload = app.get_subcommands().front()->get_name();
  if (!swasd::bench::LoadCredentials(cfg)) return 2;
  if (cfg.workload == "startup") return swasd::bench::RunStartup(cfg);
  if (cfg.workload == "fsync") return swasd::bench::RunFsync(cfg);
  if ((cfg.workload == "share" || cfg.workload == "list" ||
       cfg.workload == "regions") &&
      (cfg.key_id.empty() || cfg.secret.empty())) {
    std::cerr << "swasd_bench: give --credentials or --key-id/--secret\n";
    return 2;
  }
  return swasd::bench::RunLoad(cfg);
}
