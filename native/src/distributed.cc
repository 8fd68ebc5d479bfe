// PyTorch's distributed engine (c10d) for the project's tensors: stores (TCPStore, FileStore),
// process groups (Gloo; NCCL when libtorch has CUDA), asynchronous collectives whose c10d Work is
// waited on a libuv worker thread and surfaces as a JS Promise, and two differentiable
// collectives (all-reduce sum, all-gather) for the contrastive loss and synchronized BatchNorm.
//
// Version notes: libtorch 1.13 derives ProcessGroupGloo/NCCL from c10d::ProcessGroup; from 2.0 on
// they derive from c10d::Backend, which has the same collective methods used here.
#include "distributed.h"

#include <cstring>
#ifdef __linux__
#include <dlfcn.h>
#include <link.h>
#endif

namespace mammoclr {
namespace {

struct GroupHolder {
  int64_t id = 0;
  std::string backend;
  int rank = 0;
  int size = 1;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<Group> group;
};

// Groups by id, so autograd functions (whose saved state holds plain values) can find theirs.
std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}
// Never destroyed: a backend torn down by static destructors at exit could wait on its threads.
std::map<int64_t, c10::intrusive_ptr<Group>>& registry() {
  static auto* r = new std::map<int64_t, c10::intrusive_ptr<Group>>();
  return *r;
}
std::atomic<int64_t> nextGroupId{1};


GroupHolder* unwrapGroup(const Napi::Value& v) {
  auto* h = externalHolder<GroupHolder>(v, kGroupTag, "process group");
  if (!h->group) throw Napi::Error::New(v.Env(), "the process group was destroyed");
  return h;
}

void releaseGroup(GroupHolder* h) {
  if (!h->group) return;
  {
    std::lock_guard<std::mutex> lock(registryMutex());
    registry().erase(h->id);
  }
  h->group.reset();
  h->store.reset();
}

Napi::Value wrapGroup(Napi::Env env, GroupHolder* h) {
  return newTaggedExternal(env, h, kGroupTag, [](Napi::Env, GroupHolder* g) {
    try {
      releaseGroup(g);
    } catch (...) {
    }
    delete g;
  });
}

std::string messageOf(const std::exception& e) {
  if (auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
  return e.what();
}

// ---------------------------------------------------------------------------------------------
// Creating a group: the store connects (rank 0 serves it) and the backend's rendezvous runs on a
// worker thread, so a master that never answers becomes a rejected promise after the timeout.

struct GroupSpec {
  std::string backend = "gloo";
  std::string masterAddr = "127.0.0.1";
  int port = 29500;
  std::string filePath;  // FileStore instead of TCPStore when set
  int rank = 0;
  int size = 1;
  int64_t timeoutMs = 300000;
  int64_t storeTimeoutMs = 300000;
  std::string glooInterface;  // GLOO_SOCKET_IFNAME
  std::string glooHostname;   // the address this rank's Gloo device binds to
};

class CreateGroupWorker : public Napi::AsyncWorker {
 public:
  CreateGroupWorker(Napi::Env env, GroupSpec spec) : Napi::AsyncWorker(env), spec_(std::move(spec)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      auto storeTimeout = std::chrono::milliseconds(spec_.storeTimeoutMs);
      if (!spec_.filePath.empty()) {
        store_ = c10::make_intrusive<c10d::FileStore>(spec_.filePath, spec_.size);
        store_->setTimeout(storeTimeout);
      } else {
        c10d::TCPStoreOptions o;
        o.port = static_cast<std::uint16_t>(spec_.port);
        o.isServer = spec_.rank == 0;
        o.numWorkers = static_cast<std::size_t>(spec_.size);
        o.waitWorkers = true;
        o.timeout = storeTimeout;
        store_ = c10::make_intrusive<c10d::TCPStore>(spec_.masterAddr, o);
      }
      auto timeout = std::chrono::milliseconds(spec_.timeoutMs);
      if (spec_.backend == "gloo") {
#ifdef MAMMOCLR_WITH_GLOO
        auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
        if (!spec_.glooInterface.empty()) opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(spec_.glooInterface));
        else if (!spec_.glooHostname.empty()) opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(spec_.glooHostname));
        else opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        opts->threads = 2;
        group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store_, spec_.rank, spec_.size, opts);
#else
        TORCH_CHECK(false, "this libtorch was built without Gloo (the addon found no gloo headers at build time)");
#endif
      } else if (spec_.backend == "nccl") {
#ifdef MAMMOCLR_WITH_NCCL
        auto opts = c10d::ProcessGroupNCCL::Options::create();
        opts->timeout = timeout;
        group_ = c10::make_intrusive<c10d::ProcessGroupNCCL>(store_, spec_.rank, spec_.size, opts);
#else
        TORCH_CHECK(false, "the NCCL backend needs a CUDA build of libtorch (set LIBTORCH to one and rebuild the addon)");
#endif
      } else {
        TORCH_CHECK(false, "unknown backend '", spec_.backend, "' (gloo or nccl)");
      }
    } catch (const std::exception& e) {
      group_.reset();
      store_.reset();
      SetError(messageOf(e));
    }
  }

  void OnOK() override {
    auto* h = new GroupHolder();
    h->id = nextGroupId++;
    h->backend = spec_.backend;
    h->rank = spec_.rank;
    h->size = spec_.size;
    h->store = store_;
    h->group = group_;
    {
      std::lock_guard<std::mutex> lock(registryMutex());
      registry()[h->id] = group_;
    }
    deferred_.Resolve(wrapGroup(Env(), h));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  GroupSpec spec_;
  Napi::Promise::Deferred deferred_;
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<Group> group_;
};

std::string stringProp(const Napi::Object& o, const char* key, const std::string& fallback) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : fallback;
}
int64_t intProp(const Napi::Object& o, const char* key, int64_t fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Int64Value() : fallback;
}

// createProcessGroup({backend, masterAddr, masterPort, filePath, rank, worldSize, timeoutMs, storeTimeoutMs, glooInterface, glooHostname}) -> Promise<group>
Napi::Value createProcessGroup(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "createProcessGroup: expected an options object");
    auto o = info[0].As<Napi::Object>();
    GroupSpec s;
    s.backend = stringProp(o, "backend", "gloo");
    s.masterAddr = stringProp(o, "masterAddr", "127.0.0.1");
    s.port = static_cast<int>(intProp(o, "masterPort", 29500));
    s.filePath = stringProp(o, "filePath", "");
    s.rank = static_cast<int>(intProp(o, "rank", 0));
    s.size = static_cast<int>(intProp(o, "worldSize", 1));
    s.timeoutMs = intProp(o, "timeoutMs", 300000);
    s.storeTimeoutMs = intProp(o, "storeTimeoutMs", s.timeoutMs);
    s.glooInterface = stringProp(o, "glooInterface", "");
    s.glooHostname = stringProp(o, "glooHostname", "");
    if (s.size < 1 || s.rank < 0 || s.rank >= s.size) throw Napi::RangeError::New(info.Env(), "createProcessGroup: need 0 <= rank < worldSize");
    if (s.port < 0 || s.port > 65535) throw Napi::RangeError::New(info.Env(), "createProcessGroup: masterPort must be in [0, 65535]");
    auto* w = new CreateGroupWorker(info.Env(), std::move(s));
    auto p = w->promise();
    w->Queue();
    return p;
  });
}

Napi::Value destroyProcessGroup(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    releaseGroup(externalHolder<GroupHolder>(info[0], kGroupTag, "process group"));
    return info.Env().Undefined();
  });
}

Napi::Value groupInfo(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto* h = unwrapGroup(info[0]);
    auto out = Napi::Object::New(info.Env());
    out.Set("rank", h->rank);
    out.Set("worldSize", h->size);
    out.Set("backend", h->backend);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Asynchronous collectives: launched on the calling thread (c10d enqueues them on the backend's
// own threads), waited on a libuv worker thread; the promise settles with c10d's message.

class WorkWaiter : public Napi::AsyncWorker {
 public:
  WorkWaiter(Napi::Env env, c10::intrusive_ptr<c10d::Work> work, std::function<void()> after, std::vector<at::Tensor> results, bool resultIsList)
      : Napi::AsyncWorker(env), work_(std::move(work)), after_(std::move(after)), results_(std::move(results)), list_(resultIsList), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      work_->wait();
      if (after_) after_();
    } catch (const std::exception& e) {
      SetError(messageOf(e));
    }
    work_.reset();
  }
  void OnOK() override {
    Napi::Env env = Env();
    if (!list_) {
      deferred_.Resolve(env.Undefined());
      return;
    }
    auto arr = Napi::Array::New(env, results_.size());
    for (size_t i = 0; i < results_.size(); ++i) arr.Set(static_cast<uint32_t>(i), wrapTensor(env, results_[i]));
    results_.clear();
    deferred_.Resolve(arr);
  }
  void OnError(const Napi::Error& e) override {
    results_.clear();
    deferred_.Reject(e.Value());
  }

 private:
  c10::intrusive_ptr<c10d::Work> work_;
  std::function<void()> after_;
  std::vector<at::Tensor> results_;
  bool list_;
  Napi::Promise::Deferred deferred_;
};

// Runs `launch` (which returns the work and fills what to resolve with); launch errors become a
// rejected promise as well.
template <typename Launch>
Napi::Value collective(const Napi::CallbackInfo& info, Launch&& launch) {
  Napi::Env env = info.Env();
  return promiseOrRejection(env, [&]() -> Napi::Value {
    std::function<void()> after;
    std::vector<at::Tensor> results;
    bool list = false;
    auto work = launch(after, results, list);
    auto* w = new WorkWaiter(env, std::move(work), std::move(after), std::move(results), list);
    auto p = w->promise();
    w->Queue();
    return p;
  });
}

std::vector<at::Tensor> tensorArray(const Napi::Value& v, const char* what) {
  if (!v.IsArray()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be an array of tensors");
  auto arr = v.As<Napi::Array>();
  std::vector<at::Tensor> out;
  for (uint32_t i = 0; i < arr.Length(); ++i) out.push_back(unwrapTensor(arr.Get(i)));
  return out;
}

c10d::ReduceOp reduceOpOf(const std::string& name) {
  if (name == "sum") return c10d::ReduceOp::SUM;
  if (name == "product") return c10d::ReduceOp::PRODUCT;
  if (name == "min") return c10d::ReduceOp::MIN;
  if (name == "max") return c10d::ReduceOp::MAX;
  TORCH_CHECK(false, "unknown reduce operation '", name, "' (sum, product, min, max; average is sum then divide)");
}

void checkDense(const at::Tensor& t, const char* what) {
  // Dense memory in any layout (channels-last parameters included): every rank must use the same layout.
  TORCH_CHECK(t.is_non_overlapping_and_dense(), what, ": collectives need dense tensors (call contiguous() first)");
}

// allReduce(group, tensor, op) -> Promise<void>: in place, on every rank.
Napi::Value allReduce(const Napi::CallbackInfo& info) {
  return collective(info, [&](std::function<void()>&, std::vector<at::Tensor>&, bool&) {
    auto* h = unwrapGroup(info[0]);
    at::Tensor t = unwrapTensor(info[1]);
    checkDense(t, "allReduce");
    c10d::AllreduceOptions opts;
    opts.reduceOp = reduceOpOf(info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "sum");
    std::vector<at::Tensor> v{t};
    return h->group->allreduce(v, opts);
  });
}

// broadcast(group, tensor, root) -> Promise<void>: in place.
Napi::Value broadcast(const Napi::CallbackInfo& info) {
  return collective(info, [&](std::function<void()>&, std::vector<at::Tensor>&, bool&) {
    auto* h = unwrapGroup(info[0]);
    at::Tensor t = unwrapTensor(info[1]);
    checkDense(t, "broadcast");
    c10d::BroadcastOptions opts;
    opts.rootRank = info[2].IsNumber() ? info[2].As<Napi::Number>().Int64Value() : 0;
    TORCH_CHECK(opts.rootRank >= 0 && opts.rootRank < h->size, "broadcast: root ", opts.rootRank, " is not a rank of this group");
    std::vector<at::Tensor> v{t};
    return h->group->broadcast(v, opts);
  });
}

// allGather(group, tensor) -> Promise<Tensor[]>: every rank's tensor (same shape on every rank).
Napi::Value allGather(const Napi::CallbackInfo& info) {
  return collective(info, [&](std::function<void()>&, std::vector<at::Tensor>& results, bool& list) {
    auto* h = unwrapGroup(info[0]);
    at::Tensor t = unwrapTensor(info[1]).contiguous();
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int i = 0; i < h->size; ++i) outputs[0].push_back(at::empty_like(t, at::MemoryFormat::Contiguous));
    std::vector<at::Tensor> inputs{t};
    auto work = h->group->allgather(outputs, inputs);
    results = outputs[0];
    list = true;
    return work;
  });
}

// reduceScatter(group, output, inputs[worldSize], op) -> Promise<void>: output = reduce over ranks of
// inputs[rank]. Gloo in libtorch 1.13 has no reduce_scatter: there it is an all-reduce of the
// stacked inputs followed by taking this rank's slice (worldSize times the traffic, same result).
Napi::Value reduceScatter(const Napi::CallbackInfo& info) {
  return collective(info, [&](std::function<void()>& after, std::vector<at::Tensor>&, bool&) {
    auto* h = unwrapGroup(info[0]);
    at::Tensor out = unwrapTensor(info[1]);
    auto inputs = tensorArray(info[2], "reduceScatter inputs");
    TORCH_CHECK(static_cast<int>(inputs.size()) == h->size, "reduceScatter: expected ", h->size, " inputs (one per rank), got ", inputs.size());
    checkDense(out, "reduceScatter");
    for (auto& t : inputs) TORCH_CHECK(t.sizes() == out.sizes() && t.scalar_type() == out.scalar_type(), "reduceScatter: every input must have the output's shape and dtype");
    c10d::ReduceScatterOptions rso;
    rso.reduceOp = reduceOpOf(info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "sum");
    if (h->backend != "gloo") {
      std::vector<at::Tensor> outs{out};
      std::vector<std::vector<at::Tensor>> ins{inputs};
      return h->group->reduce_scatter(outs, ins, rso);
    }
    at::Tensor stacked = at::stack(inputs, 0).contiguous();
    c10d::AllreduceOptions ao;
    ao.reduceOp = rso.reduceOp;
    std::vector<at::Tensor> v{stacked};
    int rank = h->rank;
    after = [out, stacked, rank]() mutable { out.copy_(stacked.select(0, rank)); };
    return h->group->allreduce(v, ao);
  });
}

Napi::Value barrier(const Napi::CallbackInfo& info) {
  return collective(info, [&](std::function<void()>&, std::vector<at::Tensor>&, bool&) {
    auto* h = unwrapGroup(info[0]);
    return h->group->barrier();
  });
}

// ---------------------------------------------------------------------------------------------
// Differentiable collectives (synchronous: they run inside forward/backward on the calling thread).

void waitOrThrow(const c10::intrusive_ptr<c10d::Work>& w) {
  w->wait();
}

// y = sum over ranks of x; dL/dx = sum over ranks of dL/dy (every rank's loss depends on y).
struct AllReduceSumFn : public torch::autograd::Function<AllReduceSumFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, at::Tensor x, int64_t id) {
    ctx->saved_data["group"] = id;
    auto g = groupById(id);
    at::Tensor y = x.detach().clone(at::MemoryFormat::Contiguous);
    std::vector<at::Tensor> v{y};
    waitOrThrow(g->allreduce(v));
    return y;
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto g = groupById(ctx->saved_data["group"].toInt());
    at::Tensor gx = grads[0].contiguous().clone();
    std::vector<at::Tensor> v{gx};
    waitOrThrow(g->allreduce(v));
    return {gx, at::Tensor()};
  }
};

// y = cat over ranks of x (dim 0); dL/dx = (sum over ranks of dL/dy)[this rank's rows]
// (lightly's GatherLayer, solo-learn's GatherLayer).
struct AllGatherFn : public torch::autograd::Function<AllGatherFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, at::Tensor x, int64_t id, int64_t rank, int64_t size) {
    ctx->saved_data["group"] = id;
    ctx->saved_data["rank"] = rank;
    ctx->saved_data["rows"] = x.size(0);
    auto g = groupById(id);
    at::Tensor xc = x.detach().contiguous();
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int64_t i = 0; i < size; ++i) outputs[0].push_back(at::empty_like(xc, at::MemoryFormat::Contiguous));
    std::vector<at::Tensor> inputs{xc};
    waitOrThrow(g->allgather(outputs, inputs));
    return at::cat(outputs[0], 0);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto g = groupById(ctx->saved_data["group"].toInt());
    int64_t rank = ctx->saved_data["rank"].toInt();
    int64_t rows = ctx->saved_data["rows"].toInt();
    at::Tensor gy = grads[0].contiguous().clone();
    std::vector<at::Tensor> v{gy};
    waitOrThrow(g->allreduce(v));
    return {gy.narrow(0, rank * rows, rows).clone(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

Napi::Value allReduceSumWithGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto* h = unwrapGroup(info[0]);
    return wrapTensor(info.Env(), AllReduceSumFn::apply(unwrapTensor(info[1]), h->id));
  });
}

Napi::Value allGatherWithGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto* h = unwrapGroup(info[0]);
    const at::Tensor& x = unwrapTensor(info[1]);
    TORCH_CHECK(x.dim() >= 1, "allGatherWithGrad: needs a tensor with at least one dimension");
    return wrapTensor(info.Env(), AllGatherFn::apply(x, h->id, static_cast<int64_t>(h->rank), static_cast<int64_t>(h->size)));
  });
}

#ifdef __linux__
// Whether a loaded libtorch library defines `symbol`. Which c10d backends libtorch was built with
// (its USE_C10D_GLOO/NCCL/MPI) is a build flag of libtorch that its headers do not record, so it
// is read from the libraries themselves: the typeinfo of each backend's process-group class.
bool libtorchDefines(const char* symbol) {
  struct Search {
    const char* symbol;
    bool found;
  } search{symbol, false};
  dl_iterate_phdr(
      [](dl_phdr_info* lib, size_t, void* data) -> int {
        auto* s = static_cast<Search*>(data);
        const char* name = lib->dlpi_name;
        if (name == nullptr || *name == '\0') return 0;
        const char* slash = std::strrchr(name, '/');
        if (std::strncmp(slash ? slash + 1 : name, "libtorch", 8) != 0) return 0;
        void* handle = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
        if (handle == nullptr) return 0;
        s->found = dlsym(handle, s->symbol) != nullptr;
        dlclose(handle);
        return s->found ? 1 : 0;
      },
      &search);
  return search.found;
}
#endif

Napi::Value distributedInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto out = Napi::Object::New(env);
#ifdef __linux__
  auto inLibtorch = Napi::Object::New(env);
  inLibtorch.Set("gloo", libtorchDefines("_ZTIN4c10d16ProcessGroupGlooE"));
  inLibtorch.Set("nccl", libtorchDefines("_ZTIN4c10d16ProcessGroupNCCLE"));
  inLibtorch.Set("mpi", libtorchDefines("_ZTIN4c10d15ProcessGroupMPIE"));
  out.Set("libtorch", inLibtorch);
#else
  out.Set("libtorch", env.Null());
#endif
#ifdef MAMMOCLR_WITH_GLOO
  out.Set("gloo", true);
#else
  out.Set("gloo", false);
#endif
#ifdef MAMMOCLR_WITH_NCCL
  out.Set("nccl", true);
#else
  out.Set("nccl", false);
#endif
  return out;
}

}  // namespace

GroupRef groupRefOf(const Napi::Value& value) {
  auto* h = unwrapGroup(value);
  return GroupRef{h->group, h->id, h->rank, h->size};
}

c10::intrusive_ptr<Group> groupById(int64_t id) {
  std::lock_guard<std::mutex> lock(registryMutex());
  auto it = registry().find(id);
  TORCH_CHECK(it != registry().end(), "the process group was destroyed");
  return it->second;
}

std::string c10dMessage(const std::exception& e) { return messageOf(e); }

void registerDistributed(Napi::Env env, Napi::Object exports) {
  exports.Set("createProcessGroup", Napi::Function::New(env, createProcessGroup));
  exports.Set("destroyProcessGroup", Napi::Function::New(env, destroyProcessGroup));
  exports.Set("groupInfo", Napi::Function::New(env, groupInfo));
  exports.Set("allReduce", Napi::Function::New(env, allReduce));
  exports.Set("broadcast", Napi::Function::New(env, broadcast));
  exports.Set("allGather", Napi::Function::New(env, allGather));
  exports.Set("reduceScatter", Napi::Function::New(env, reduceScatter));
  exports.Set("barrier", Napi::Function::New(env, barrier));
  exports.Set("allReduceSumWithGrad", Napi::Function::New(env, allReduceSumWithGrad));
  exports.Set("allGatherWithGrad", Napi::Function::New(env, allGatherWithGrad));
  exports.Set("distributedInfo", Napi::Function::New(env, distributedInfo));
  registerGradientReducer(env, exports);
  registerSyncBatchNorm(env, exports);
}

}  // namespace mammoclr
