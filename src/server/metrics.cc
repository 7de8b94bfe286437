#include "server/metrics.h"

#include <algorithm>
#include <charconv>

namespace swasd::server {
namespace {

// Request latency: 1 ms .. 10 s.
const std::vector<double> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,   0.25,   0.5,   1,    2.5,   5, 10};
// Store commits: 0.5 ms .. 2.5 s (an fsync is a few ms on disks, less on SSDs).
const std::vector<double> kCommitBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                           0.05,   0.1,   0.25,   0.5,   1,    2.5};
// Writes per committed transaction (SQLite's group commit: at most 256).
const std::vector<double> kGroupBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256};

constexpr char kSep = '\x1f';

double Seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}

void AppendDouble(std::string* out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out->append(buf, end);
}

void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out->append(buf, end);
}

// A label value: \, " and newline escaped, as the text format requires.
void AppendLabelValue(std::string* out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

void Header(std::string* out, std::string_view name, std::string_view type,
            std::string_view help) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// A family of one unlabelled sample.
void Single(std::string* out, std::string_view name, std::string_view type,
            std::string_view help, double value) {
  Header(out, name, type, help);
  out->append(name).push_back(' ');
  AppendDouble(out, value);
  out->push_back('\n');
}

// `labels`: already rendered `k="v",...` (may be empty).
void RenderHistogram(std::string* out, std::string_view name,
                     std::string_view labels, const Histogram& h) {
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= h.bounds->size(); ++i) {
    cumulative += h.counts[i];
    out->append(name).append("_bucket{").append(labels);
    if (!labels.empty()) out->push_back(',');
    out->append("le=\"");
    if (i < h.bounds->size()) {
      AppendDouble(out, (*h.bounds)[i]);
    } else {
      out->append("+Inf");
    }
    out->append("\"} ");
    AppendUint(out, cumulative);
    out->push_back('\n');
  }
  const std::string_view open = labels.empty() ? "" : "{";
  const std::string_view close = labels.empty() ? "" : "}";
  out->append(name).append("_sum").append(open).append(labels).append(close).push_back(' ');
  AppendDouble(out, h.sum);
  out->push_back('\n');
  out->append(name).append("_count").append(open).append(labels).append(close).push_back(' ');
  AppendUint(out, h.count);
  out->push_back('\n');
}

}  // namespace

void Histogram::Observe(double v) {
  size_t i = std::lower_bound(bounds->begin(), bounds->end(), v) - bounds->begin();
  ++counts[i];
  sum += v;
  ++count;
}

Metrics::Metrics(std::string version, std::string backend)
    : version_(std::move(version)),
      backend_(std::move(backend)),
      start_time_(std::chrono::duration<double>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()),
      commit_seconds_(&kCommitBounds),
      commit_group_size_(&kGroupBounds) {}

void Metrics::ObserveCall(const gateway::CallRecord& call,
                          std::chrono::nanoseconds latency) {
  std::string_view action =
      call.known_operation ? std::string_view(call.action) : std::string_view();
  std::string_view code = call.code.empty() ? std::string_view("OK") : call.code;
  // Keys built in a reused per-thread buffer: no allocation once a series
  // exists.
  thread_local std::string key;
  key.clear();
  key.append(call.product).push_back(kSep);
  key.append(action);
  const size_t series_len = key.size();
  key.push_back(kSep);
  key.append(code);
  std::string_view series(key.data(), series_len);

  std::lock_guard<std::mutex> lock(mu_);
  auto c = calls_.find(std::string_view(key));
  if (c == calls_.end()) c = calls_.emplace(key, 0).first;
  ++c->second;
  auto h = latency_.find(series);
  if (h == latency_.end()) {
    h = latency_.emplace(std::string(series), Histogram(&kLatencyBounds)).first;
  }
  h->second.Observe(Seconds(latency));
  if (call.nonce_claimed) ++nonces_claimed_;
}

void Metrics::OnCommit(size_t writes, std::chrono::nanoseconds took) {
  std::lock_guard<std::mutex> lock(mu_);
  commit_seconds_.Observe(Seconds(took));
  commit_group_size_.Observe(static_cast<double>(writes));
}

std::string Metrics::Render(
    const std::vector<std::pair<std::string, int64_t>>& resources) const {
  std::string out;
  out.reserve(16384);
  Header(&out, "swasd_build_info", "gauge",
         "Always 1; the labels name the swasd version and the store backend.");
  out.append("swasd_build_info{version=\"");
  AppendLabelValue(&out, version_);
  out.append("\",backend=\"");
  AppendLabelValue(&out, backend_);
  out.append("\"} 1\n");

  Single(&out, "swasd_start_time_seconds", "gauge",
         "When this swasd process started, in unix seconds.", start_time_);
  Single(&out, "swasd_requests_in_flight", "gauge",
         "API and admin requests being handled right now.",
         static_cast<double>(std::max<int64_t>(0, in_flight_.load())));

  std::lock_guard<std::mutex> lock(mu_);
  Header(&out, "swasd_requests_total", "counter",
         "API calls answered, by product, action and error code (OK: success).");
  for (const auto& [key, n] : calls_) {
    size_t a = key.find(kSep);
    size_t b = key.find(kSep, a + 1);
    out.append("swasd_requests_total{product=\"");
    AppendLabelValue(&out, std::string_view(key).substr(0, a));
    out.append("\",action=\"");
    AppendLabelValue(&out, std::string_view(key).substr(a + 1, b - a - 1));
    out.append("\",code=\"");
    AppendLabelValue(&out, std::string_view(key).substr(b + 1));
    out.append("\"} ");
    AppendUint(&out, n);
    out.push_back('\n');
  }

  Header(&out, "swasd_request_duration_seconds", "histogram",
         "Time to handle an API call, from the parsed request to the answer.");
  for (const auto& [key, h] : latency_) {
    size_t a = key.find(kSep);
    std::string labels = "product=\"";
    AppendLabelValue(&labels, std::string_view(key).substr(0, a));
    labels.append("\",action=\"");
    AppendLabelValue(&labels, std::string_view(key).substr(a + 1));
    labels.push_back('"');
    RenderHistogram(&out, "swasd_request_duration_seconds", labels, h);
  }

  Header(&out, "swasd_store_commit_duration_seconds", "histogram",
         "Time of one committed store transaction, BEGIN to durable COMMIT.");
  RenderHistogram(&out, "swasd_store_commit_duration_seconds", "", commit_seconds_);
  Header(&out, "swasd_store_commit_group_size", "histogram",
         "Writes committed together in one transaction (SQLite group commit).");
  RenderHistogram(&out, "swasd_store_commit_group_size", "", commit_group_size_);

  Single(&out, "swasd_nonces_claimed_total", "counter",
         "Signature nonces recorded (signed calls that were not replays).",
         static_cast<double>(nonces_claimed_));
  Single(&out, "swasd_nonces_purged_total", "counter",
         "Expired signature nonces removed from the store by the janitor.",
         static_cast<double>(nonces_purged_.load()));
  if (nonce_cache_ != nullptr) {
    Single(&out, "swasd_nonce_table_entries", "gauge",
           "Recent signature nonces held in memory to refuse replays at once (bounded).",
           static_cast<double>(nonce_cache_->size()));
  }

  Header(&out, "swasd_resources", "gauge",
         "Resources in the store by kind, over all accounts (refreshed at most every 10 s).");
  for (const auto& [kind, n] : resources) {
    out.append("swasd_resources{kind=\"");
    AppendLabelValue(&out, kind);
    out.append("\"} ");
    AppendUint(&out, static_cast<uint64_t>(n));
    out.push_back('\n');
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> ResourceCounts::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (valid_ && now - refreshed_ < max_age_) return counts_;
  std::vector<std::pair<std::string, int64_t>> fresh;
  Status s = store_->Read([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(std::vector<store::Account> accounts, tx.ListAccounts());
    for (const std::string& kind : kinds_) {
      int64_t total = 0;
      for (const store::Account& a : accounts) {
        store::ResourceQuery q;
        q.kind = kind;
        q.account_id = a.account_id;
        SWASD_ASSIGN_OR_RETURN(int64_t n, tx.CountResources(q));
        total += n;
      }
      fresh.emplace_back(kind, total);
    }
    return Status::Ok();
  });
  if (s.ok()) {
    counts_ = std::move(fresh);
    valid_ = true;
    refreshed_ = now;
  }
  return counts_;
}

}  // namespace swasd::server
