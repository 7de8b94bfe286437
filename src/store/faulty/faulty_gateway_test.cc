// Store faults seen through the whole request pipeline, in process: signed
// requests (protocol::Sign) go through a real gateway::Dispatcher with the
// SWAS operation table, whose store is a FaultyStore over a real
// SqliteStore. For every fault we check the three things a client relies
// on:
//   1. the answer is a proper error envelope: InternalError 500 (or
//      ServiceUnavailable 503), with a RequestId and the generic message --
//      never the injected cause, never a misleading 4xx such as
//      InvalidAccessKeyId.NotFound or SignatureNonceUsed;
//   2. the state is consistent: a failed commit left nothing behind, a lost
//      acknowledgement left exactly the committed write;
//   3. once the fault has passed, the next requests succeed -- and a retry
//      with the same ClientToken gives the first call's result, never a
//      second resource.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "base/clock.h"
#include "base/ids.h"
#include "gateway/authn.h"
#include "gateway/nonce_cache.h"
#include "gateway/authz.h"
#include "gateway/dispatcher.h"
#include "gateway/idempotency.h"
#include "gateway/registry.h"
#include "protocol/signer.h"
#include "store/accounts.h"
#include "store/faulty/faulty_store.h"
#include "store/sqlite/sqlite_store.h"
#include "swas/api/routes.h"
#include "swas/regions.h"
#include "swas/service.h"

namespace swasd {
namespace {

using gateway::Json;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr char kAk[] = "LTAIfaultkey00000000001";
constexpr char kSecret[] = "faultsecret000000000000000000a";
constexpr char kRegion[] = "cn-hangzhou";
constexpr char kPlan[] = "swas.s2.c2m1s40b3t04";
constexpr char kPublicImage[] = "6ab1e5d2ffc04b3a8c0e6f1d2a3b4c01";

struct Answer {
  int status = 0;
  Json body;
  std::string code() const { return body.value("Code", ""); }
};

class FaultyGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/swasd-faultgw-XXXXXX";
    dir_ = mkdtemp(tmpl);
    auto s = store::SqliteStore::Open({.data_dir = dir_});
    ASSERT_TRUE(s.ok()) << s.error().message();
    sqlite_ = std::move(s).value();
    auto acc = store::CreateAccount(*sqlite_, clock_, "root", std::nullopt,
                                    std::make_pair(std::string(kAk), std::string(kSecret)));
    ASSERT_TRUE(acc.ok()) << acc.error().message();
    faulty_ = std::make_unique<store::FaultyStore>(sqlite_.get(), store::FaultSpec{});

    regions_ = std::make_unique<swas::RegionCatalog>(swas::RegionCatalog::Default());
    swas::ServiceOptions opts;
    opts.instance_transition_ms = 0;
    opts.snapshot_ready_ms = 0;
    opts.image_ready_ms = 0;
    service_ = std::make_unique<swas::Service>(regions_.get(), &clock_, opts);
    mutator_ = std::make_unique<gateway::Mutator>(faulty_.get(), &clock_,
                                                  std::chrono::hours(24));
    services_.store = faulty_.get();
    services_.regions = regions_.get();
    services_.service = service_.get();
    services_.mutator = mutator_.get();
    ASSERT_TRUE(swas::api::Register(&registry_, &services_).ok());
    // With the in-memory table of recent nonces, as swasd runs: it must not
    // turn a failed claim into a refusal.
    authn_ = std::make_unique<gateway::Authenticator>(
        faulty_.get(), &clock_, gateway::AuthnOptions{.recent_nonces = &recent_nonces_});
    dispatcher_ = std::make_unique<gateway::Dispatcher>(
        &registry_, authn_.get(), &authz_, &clock_, gateway::DispatcherOptions{});
  }

  void TearDown() override {
    dispatcher_.reset();
    authn_.reset();
    mutator_.reset();
    faulty_.reset();
    sqlite_.reset();
    std::filesystem::remove_all(dir_);
  }

  http::HttpRequest Build(const std::string& action, const Params& params,
                          std::string nonce = "") {
    protocol::SignRequest r;
    r.host = "127.0.0.1:8080";
    r.action = action;
    r.version = "2020-06-01";
    r.access_key_id = kAk;
    r.secret = kSecret;
    EXPECT_TRUE(r.params.Add("RegionId", kRegion).ok());
    for (const auto& [k, v] : params) EXPECT_TRUE(r.params.Add(k, v).ok());
    r.nonce = nonce.empty() ? ids::NewRequestId() : nonce;
    r.timestamp = FormatIso8601(clock_.Now());
    auto signed_req = protocol::Sign(r);
    EXPECT_TRUE(signed_req.ok());
    http::HttpRequest req;
    req.method = r.method;
    req.target = signed_req->target;
    for (auto& [k, v] : signed_req->headers) {
      std::string lower = k;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req.headers.emplace_back(lower, v);
    }
    return req;
  }

  Answer Send(const http::HttpRequest& req) {
    http::HttpResponse resp = dispatcher_->Handle(req);
    Answer a;
    a.status = resp.status;
    a.body = Json::parse(resp.body);
    EXPECT_EQ(a.body.value("RequestId", "").size(), 36u) << resp.body;
    return a;
  }
  Answer Call(const std::string& action, const Params& params) {
    return Send(Build(action, params));
  }
  Json Ok(const std::string& action, const Params& params) {
    Answer a = Call(action, params);
    EXPECT_EQ(a.status, 200) << action << ": " << a.body.dump();
    return a.body;
  }

  // The envelope every injected fault must produce.
  void ExpectServerError(const Answer& a, int status = 500) {
    EXPECT_EQ(a.status, status) << a.body.dump();
    EXPECT_EQ(a.code(), status == 503 ? "ServiceUnavailable" : "InternalError")
        << a.body.dump();
    EXPECT_TRUE(a.body.contains("HostId"));
    EXPECT_TRUE(a.body.contains("Recommend"));
    // The cause stays in the log.
    EXPECT_EQ(a.body.dump().find("fault"), std::string::npos) << a.body.dump();
    EXPECT_EQ(a.body.dump().find("disk"), std::string::npos) << a.body.dump();
  }

  // Faults start counting after the spec is set; every signed call first
  // reads the AccessKey (read 1) and claims its nonce (write 1), so the
  // handler's own transaction is write 2 / read 2.
  void ArmHandlerWriteFault(store::FaultSpec spec) { faulty_->SetSpec(spec); }

  std::string NewInstance() {
    Json b = Ok("CreateInstances", {{"PlanId", kPlan}, {"ImageId", kPublicImage},
                                    {"Period", "1"}, {"Amount", "1"}});
    return b["InstanceIds"][0].get<std::string>();
  }
  std::string SystemDisk(const std::string& instance) {
    Json b = Ok("ListDisks", {{"InstanceId", instance}});
    return b["Disks"][0]["DiskId"].get<std::string>();
  }
  std::string NewSnapshot(const std::string& instance) {
    Json b = Ok("CreateSnapshot", {{"DiskId", SystemDisk(instance)},
                                   {"SnapshotName", "snap"}});
    return b["SnapshotId"].get<std::string>();
  }
  Params ImageParams(const std::string& instance, const std::string& snapshot,
                     const std::string& name, const std::string& token) {
    Params p = {{"InstanceId", instance}, {"SystemSnapshotId", snapshot},
                {"ImageName", name}};
    if (!token.empty()) p.push_back({"ClientToken", token});
    return p;
  }
  // id -> InShare, straight from the store (no faults).
  std::map<std::string, bool> Images() {
    faulty_->SetSpec({});
    Json b = Ok("ListCustomImages", {{"PageSize", "100"}});
    std::map<std::string, bool> out;
    for (const auto& i : b["CustomImages"]) {
      out[i["ImageId"].get<std::string>()] = i["InShare"].get<bool>();
    }
    return out;
  }
  int64_t InstanceCount() {
    faulty_->SetSpec({});
    return Ok("ListInstances", {{"PageSize", "100"}})["TotalCount"].get<int64_t>();
  }

  OffsetClock clock_;
  std::string dir_;
  std::unique_ptr<store::SqliteStore> sqlite_;
  std::unique_ptr<store::FaultyStore> faulty_;
  std::unique_ptr<swas::RegionCatalog> regions_;
  std::unique_ptr<swas::Service> service_;
  std::unique_ptr<gateway::Mutator> mutator_;
  swas::api::Services services_;
  gateway::Registry registry_;
  gateway::RootOnlyAuthorizer authz_;
  gateway::NonceCache recent_nonces_;
  std::unique_ptr<gateway::Authenticator> authn_;
  std::unique_ptr<gateway::Dispatcher> dispatcher_;
};

TEST_F(FaultyGatewayTest, FailedCommitOfAHandlerIsInternalErrorAndLeavesNothing) {
  int64_t before = InstanceCount();
  ArmHandlerWriteFault({.fail_write_nth = 2});
  Answer a = Call("CreateInstances", {{"PlanId", kPlan}, {"ImageId", kPublicImage},
                                      {"Period", "1"}, {"Amount", "3"}});
  ExpectServerError(a);
  EXPECT_EQ(InstanceCount(), before) << "a failed commit created instances";
  EXPECT_FALSE(NewInstance().empty()) << "the next request must succeed";
  EXPECT_EQ(InstanceCount(), before + 1);
}

TEST_F(FaultyGatewayTest, DiskFullRefusesEveryWriteButServesReads) {
  std::string inst = NewInstance();
  std::string snap = NewSnapshot(inst);
  faulty_->SetSpec({.disk_full = true});
  // Even authentication's nonce claim is a write: InternalError, not a
  // misleading SignatureNonceUsed or InvalidAccessKeyId.
  for (int i = 0; i < 3; ++i) {
    ExpectServerError(Call("CreateCustomImage", ImageParams(inst, snap, "full-" + std::to_string(i), "")));
    ExpectServerError(Call("ListCustomImages", {}));
  }
  // Space freed: everything works, nothing of the refused calls exists.
  EXPECT_TRUE(Images().empty());
  Json img = Ok("CreateCustomImage", ImageParams(inst, snap, "after-full", ""));
  EXPECT_EQ(Images().size(), 1u);
  EXPECT_EQ(Images().begin()->first, img["ImageId"].get<std::string>());
}

TEST_F(FaultyGatewayTest, UnavailableStoreIs503) {
  faulty_->SetSpec({.writes_unavailable = true});
  ExpectServerError(Call("ListRegions", {}), 503);
  faulty_->SetSpec({});
  EXPECT_EQ(Call("ListRegions", {}).status, 200);
}

TEST_F(FaultyGatewayTest, ReadFailureIsInternalErrorNotAnAuthError) {
  // Read 1 is the AccessKey lookup: a storage failure there must not look
  // like an unknown key.
  faulty_->SetSpec({.fail_read_nth = 1});
  Answer a = Call("ListInstances", {});
  ExpectServerError(a);
  EXPECT_NE(a.code(), "InvalidAccessKeyId.NotFound");
  // Read 2 is the handler's own read.
  faulty_->SetSpec({.fail_read_nth = 2});
  ExpectServerError(Call("ListInstances", {}));
  faulty_->SetSpec({.fail_all_reads = true});
  ExpectServerError(Call("ListCustomImages", {}));
  faulty_->SetSpec({});
  EXPECT_EQ(Call("ListInstances", {}).status, 200);
}

TEST_F(FaultyGatewayTest, AFailedNonceClaimDoesNotBurnTheNonce) {
  http::HttpRequest req = Build("ListInstances", {});
  faulty_->SetSpec({.fail_write_nth = 1});  // the nonce claim
  ExpectServerError(Send(req));
  faulty_->SetSpec({});
  // The very same signed request (same nonce) now succeeds: nothing was
  // recorded by the failed claim. Sent a third time it is a replay.
  EXPECT_EQ(Send(req).status, 200);
  EXPECT_EQ(Send(req).code(), "SignatureNonceUsed");
}

// A mutation records its nonce in the same group as its work (WriteThen),
// yet a mutation that fails still burns its nonce -- otherwise a captured
// request that failed could be replayed later, when it would succeed.
TEST_F(FaultyGatewayTest, AFailedMutationStillRecordsItsNonce) {
  std::string inst = NewInstance();
  std::string snap = NewSnapshot(inst);
  std::string image = Ok("CreateCustomImage", ImageParams(inst, snap, "nonce-img", ""))["ImageId"];
  Ok("ModifyImageShareStatus", {{"ImageId", image}, {"Operation", "Share"}});
  // DeleteCustomImage fails while the image is shared...
  http::HttpRequest del = Build("DeleteCustomImage", {{"ImageId", image}});
  EXPECT_EQ(Send(del).code(), "CustomImageInShare");
  // ...and after UnShare the very same signed request is a replay, not a delete.
  Ok("ModifyImageShareStatus", {{"ImageId", image}, {"Operation", "UnShare"}});
  EXPECT_EQ(Send(del).code(), "SignatureNonceUsed");
  EXPECT_EQ(Images().count(image), 1u);
  // A mutation refused before its handler (invalid parameter) burns it too.
  http::HttpRequest bad = Build("ModifyImageShareStatus", {{"ImageId", image}, {"Operation", "Nope"}});
  EXPECT_EQ(Send(bad).status, 400);
  EXPECT_EQ(Send(bad).code(), "SignatureNonceUsed");
  // A successful mutation's replay does no work.
  http::HttpRequest share = Build("ModifyImageShareStatus", {{"ImageId", image}, {"Operation", "Share"}});
  EXPECT_EQ(Send(share).status, 200);
  Ok("ModifyImageShareStatus", {{"ImageId", image}, {"Operation", "UnShare"}});
  EXPECT_EQ(Send(share).code(), "SignatureNonceUsed");
  EXPECT_FALSE(Images().at(image));
}

TEST_F(FaultyGatewayTest, FailedShareCommitKeepsTheOldStateAndRetrySucceeds) {
  std::string inst = NewInstance();
  std::string snap = NewSnapshot(inst);
  std::string image = Ok("CreateCustomImage", ImageParams(inst, snap, "share-me", ""))["ImageId"];
  std::string token = ids::NewRequestId();
  Params share = {{"ImageId", image}, {"Operation", "Share"}, {"ClientToken", token}};
  ArmHandlerWriteFault({.fail_write_nth = 2});
  ExpectServerError(Call("ModifyImageShareStatus", share));
  EXPECT_FALSE(Images().at(image)) << "half-applied Share";
  // The token was not remembered (the transaction rolled back): a retry
  // with it does the work.
  Ok("ModifyImageShareStatus", share);
  EXPECT_TRUE(Images().at(image));
  // DeleteCustomImage fails at commit: still there, still shared.
  ArmHandlerWriteFault({.fail_write_nth = 2});
  ExpectServerError(Call("ModifyImageShareStatus",
                         {{"ImageId", image}, {"Operation", "UnShare"}}));
  EXPECT_TRUE(Images().at(image));
  Ok("ModifyImageShareStatus", {{"ImageId", image}, {"Operation", "UnShare"}});
  ArmHandlerWriteFault({.fail_write_nth = 2});
  ExpectServerError(Call("DeleteCustomImage", {{"ImageId", image}}));
  EXPECT_EQ(Images().count(image), 1u);
  Ok("DeleteCustomImage", {{"ImageId", image}});
  EXPECT_EQ(Images().count(image), 0u);
}

TEST_F(FaultyGatewayTest, LostAckThenClientTokenRetryReturnsTheOriginalImage) {
  std::string inst = NewInstance();
  std::string snap = NewSnapshot(inst);
  std::string token = ids::NewRequestId();
  Params p = ImageParams(inst, snap, "lost-ack", token);
  ArmHandlerWriteFault({.lose_ack_nth = 2});
  ExpectServerError(Call("CreateCustomImage", p));
  // The write is durable although the client was told it failed.
  auto images = Images();
  ASSERT_EQ(images.size(), 1u);
  std::string committed = images.begin()->first;
  // The retry with the token answers the committed image, creating nothing.
  Json again = Ok("CreateCustomImage", p);
  EXPECT_EQ(again["ImageId"].get<std::string>(), committed);
  EXPECT_EQ(Images().size(), 1u);
  // Without a token a blind retry is refused by the name rule, not doubled.
  Params no_token = ImageParams(inst, snap, "lost-ack", "");
  EXPECT_EQ(Call("CreateCustomImage", no_token).code(), "ImageNameAlreadyExist");
  EXPECT_EQ(Images().size(), 1u);
}

TEST_F(FaultyGatewayTest, LostAckOnCreateInstancesRetriedWithTokenCreatesOnce) {
  int64_t before = InstanceCount();
  std::string token = ids::NewRequestId();
  Params p = {{"PlanId", kPlan}, {"ImageId", kPublicImage}, {"Period", "1"},
              {"Amount", "2"}, {"ClientToken", token}};
  ArmHandlerWriteFault({.lose_ack_nth = 2});
  ExpectServerError(Call("CreateInstances", p));
  EXPECT_EQ(InstanceCount(), before + 2);
  Json again = Ok("CreateInstances", p);
  EXPECT_EQ(again["InstanceIds"].size(), 2u);
  EXPECT_EQ(InstanceCount(), before + 2);
}

TEST_F(FaultyGatewayTest, SlowStoreStillAnswersCorrectly) {
  faulty_->SetSpec({.read_latency = std::chrono::milliseconds(20),
                    .write_latency = std::chrono::milliseconds(20)});
  auto t0 = std::chrono::steady_clock::now();
  Json b = Ok("CreateInstances", {{"PlanId", kPlan}, {"ImageId", kPublicImage},
                                  {"Period", "1"}});
  EXPECT_EQ(b["InstanceIds"].size(), 1u);
  // read key + claim nonce + the write: at least 3 x 20 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(60));
}

// A storm of random commit failures and lost acks while a client runs a
// share/unshare/delete workload with ClientTokens and retries every call
// until it succeeds (as an SDK with retries would). Afterwards the store
// must hold exactly the model's state: no duplicates, no lost writes.
TEST_F(FaultyGatewayTest, RandomFaultStormWithRetriesConvergesToTheModel) {
  std::vector<std::string> instances, snapshots;
  for (int i = 0; i < 2; ++i) {
    instances.push_back(NewInstance());
    snapshots.push_back(NewSnapshot(instances.back()));
  }
  std::mt19937 rng(12345);
  std::map<std::string, bool> model;  // image -> InShare
  int server_errors = 0;
  auto retry = [&](const std::string& action, const Params& p) -> Json {
    for (int attempt = 0; attempt < 50; ++attempt) {
      Answer a = Call(action, p);
      if (a.status == 200) return a.body;
      if (a.status < 500) {
        // The only refusal the workload can meet: deleting a shared image.
        EXPECT_EQ(a.code(), "CustomImageInShare") << action << " " << a.body.dump();
        return a.body;
      }
      ExpectServerError(a);
      ++server_errors;
    }
    ADD_FAILURE() << action << " never succeeded";
    return Json();
  };
  // Every call makes two writes (its nonce, then its work): failing every
  // 3rd and losing the ack of every 5th hits both, in every combination.
  faulty_->SetSpec({.fail_write_every = 3, .lose_ack_every = 5});
  for (int step = 0; step < 60; ++step) {
    int what = static_cast<int>(rng() % 4);
    if (what == 0 || model.empty()) {
      if (model.size() >= 6) continue;  // quota: 3 per instance
      size_t k = rng() % instances.size();
      std::string name = "storm-" + std::to_string(step);
      Json b = retry("CreateCustomImage",
                     ImageParams(instances[k], snapshots[k], name, ids::NewRequestId()));
      ASSERT_TRUE(b.contains("ImageId")) << b.dump();
      std::string id = b["ImageId"];
      ASSERT_EQ(model.count(id), 0u) << "a retry returned another call's image";
      model[id] = false;
      continue;
    }
    auto it = model.begin();
    std::advance(it, rng() % model.size());
    std::string id = it->first;
    std::string token = ids::NewRequestId();
    if (what == 1) {
      retry("ModifyImageShareStatus", {{"ImageId", id}, {"Operation", "Share"}, {"ClientToken", token}});
      model[id] = true;
    } else if (what == 2) {
      retry("ModifyImageShareStatus", {{"ImageId", id}, {"Operation", "UnShare"}, {"ClientToken", token}});
      model[id] = false;
    } else {
      Json b = retry("DeleteCustomImage", {{"ImageId", id}, {"ClientToken", token}});
      if (model[id]) {
        EXPECT_EQ(b.value("Code", ""), "CustomImageInShare") << b.dump();
      } else {
        EXPECT_FALSE(b.contains("Code")) << b.dump();
        model.erase(id);
      }
    }
  }
  auto counters = faulty_->counters();
  std::cout << "[ storm    ] " << counters.writes << " writes, " << counters.write_faults
            << " failed commits, " << counters.lost_acks << " lost acks, " << server_errors
            << " 5xx answers retried; final state == model (" << model.size() << " images)\n";
  EXPECT_GT(server_errors, 10) << "the storm injected too few faults to mean anything";
  EXPECT_EQ(Images(), model);
}

}  // namespace
}  // namespace swasd
