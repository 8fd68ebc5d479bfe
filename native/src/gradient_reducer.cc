// Gradient averaging for data parallelism, overlapped with backward the way PyTorch's DDP Reducer
// does it: a hook on every parameter copies its gradient into a flat bucket the moment autograd
// produces it, and a bucket whose gradients have all arrived is handed to the backend at once, so
// its all-reduce runs on Gloo's threads while backward is still computing the earlier layers.
// finish() runs on a libuv worker thread: it launches the buckets of parameters that got no
// gradient (their slots count as zero), waits for every bucket, averages, and writes the
// gradients back. Buckets must complete in the same order on every rank, which holds when every
// rank runs the same graph (as DDP without find_unused_parameters).
#include "distributed.h"

#include <memory>

namespace mammoclr {
namespace {

struct Bucket {
  std::vector<size_t> params;  // indices into ReducerState::params
  std::vector<int64_t> offsets;
  at::Tensor buffer;  // flat and contiguous: one all-reduce per bucket
  size_t pending = 0;
  c10::intrusive_ptr<c10d::Work> work;
};

struct ReducerState {
  std::mutex mutex;
  c10::intrusive_ptr<Group> group;
  int worldSize = 1;
  std::vector<at::Tensor> params;
  std::vector<size_t> bucketOf;
  std::vector<size_t> slotOf;
  std::vector<char> ready;
  std::vector<Bucket> buckets;
  bool active = true;
};

struct ReducerHolder {
  std::shared_ptr<ReducerState> state;
  std::vector<std::pair<size_t, unsigned>> hooks;  // parameter index, hook position
};

at::Tensor slotView(const ReducerState& s, const Bucket& b, size_t param) {
  const at::Tensor& p = s.params[param];
  return b.buffer.narrow(0, b.offsets[s.slotOf[param]], p.numel()).view(p.sizes());
}

void launch(ReducerState& s, Bucket& b) {
  std::vector<at::Tensor> v{b.buffer};
  b.work = s.group->allreduce(v);
}

void resetRound(ReducerState& s) {
  std::fill(s.ready.begin(), s.ready.end(), 0);
  for (auto& b : s.buckets) {
    b.pending = b.params.size();
    b.work.reset();
  }
}

// Called by autograd (on the thread running backward) with the parameter's gradient of this
// backward, before it is accumulated into .grad.
void markReady(ReducerState& s, size_t i, const at::Tensor& grad) {
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.active) return;
  TORCH_CHECK(!s.ready[i], "a parameter received a second gradient before the gradients were averaged: run the reducer after every backward");
  s.ready[i] = 1;
  Bucket& b = s.buckets[s.bucketOf[i]];
  slotView(s, b, i).copy_(grad);
  if (--b.pending == 0) launch(s, b);
}

// Returns how many buckets had started their all-reduce during backward.
int finishRound(ReducerState& s) {
  std::lock_guard<std::mutex> lock(s.mutex);
  int early = 0;
  try {
    for (auto& b : s.buckets) {
      if (b.work) {
        ++early;
        continue;
      }
      for (size_t i : b.params)
        if (!s.ready[i]) slotView(s, b, i).zero_();
      launch(s, b);
    }
    for (auto& b : s.buckets) b.work->wait();
    for (auto& b : s.buckets) {
      b.buffer.div_(s.worldSize);
      for (size_t i : b.params) {
        at::Tensor& p = s.params[i];
        at::Tensor avg = slotView(s, b, i);
        if (p.grad().defined()) {
          p.mutable_grad().copy_(avg);
        } else {
          at::Tensor g = at::empty_like(p);
          g.copy_(avg);
          p.mutable_grad() = g;
        }
      }
    }
  } catch (...) {
    resetRound(s);
    throw;
  }
  resetRound(s);
  return early;
}

class FinishWorker : public Napi::AsyncWorker {
 public:
  FinishWorker(Napi::Env env, std::shared_ptr<ReducerState> state)
      : Napi::AsyncWorker(env), state_(std::move(state)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    try {
      early_ = finishRound(*state_);
    } catch (const std::exception& e) {
      SetError(c10dMessage(e));
    }
  }
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), early_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::shared_ptr<ReducerState> state_;
  Napi::Promise::Deferred deferred_;
  int early_ = 0;
};

void disposeReducer(ReducerHolder* h) {
  if (!h->state) return;
  {
    std::lock_guard<std::mutex> lock(h->state->mutex);
    h->state->active = false;
  }
  for (auto& [i, pos] : h->hooks) {
    try {
      h->state->params[i].remove_hook(pos);
    } catch (...) {
    }
  }
  h->hooks.clear();
  h->state.reset();
}

ReducerHolder* unwrapReducer(const Napi::Value& v) {
  auto* h = externalHolder<ReducerHolder>(v, kReducerTag, "gradient reducer");
  if (!h->state) throw Napi::Error::New(v.Env(), "the gradient reducer was disposed");
  return h;
}

// createGradientReducer(group, params[], bucketBytes) -> reducer. Buckets take the parameters in
// reverse order (the last layers' gradients are the first backward produces) up to bucketBytes.
Napi::Value createGradientReducer(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    GroupRef g = groupRefOf(info[0]);
    if (!info[1].IsArray()) throw Napi::TypeError::New(info.Env(), "createGradientReducer: expected an array of parameters");
    auto arr = info[1].As<Napi::Array>();
    int64_t cap = info[2].IsNumber() ? info[2].As<Napi::Number>().Int64Value() : 25 * 1024 * 1024;
    auto s = std::make_shared<ReducerState>();
    s->group = g.group;
    s->worldSize = g.size;
    for (uint32_t i = 0; i < arr.Length(); ++i) {
      const at::Tensor& p = unwrapTensor(arr.Get(i));
      TORCH_CHECK(p.requires_grad() && p.is_leaf(), "createGradientReducer: parameter ", i, " is not a leaf that requires a gradient");
      s->params.push_back(p);
    }
    size_t n = s->params.size();
    s->bucketOf.assign(n, 0);
    s->slotOf.assign(n, 0);
    s->ready.assign(n, 0);
    Bucket cur;
    int64_t bytes = 0;
    int64_t elements = 0;
    auto flush = [&]() {
      if (cur.params.empty()) return;
      const at::Tensor& first = s->params[cur.params[0]];
      cur.buffer = at::zeros({elements}, first.options().requires_grad(false));
      cur.pending = cur.params.size();
      for (size_t k = 0; k < cur.params.size(); ++k) {
        s->bucketOf[cur.params[k]] = s->buckets.size();
        s->slotOf[cur.params[k]] = k;
      }
      s->buckets.push_back(std::move(cur));
      cur = Bucket();
      bytes = 0;
      elements = 0;
    };
    for (size_t k = n; k-- > 0;) {
      const at::Tensor& p = s->params[k];
      int64_t b = p.numel() * static_cast<int64_t>(p.element_size());
      if (!cur.params.empty() && (s->params[cur.params[0]].scalar_type() != p.scalar_type() || bytes + b > cap)) flush();
      cur.offsets.push_back(elements);
      cur.params.push_back(k);
      bytes += b;
      elements += p.numel();
    }
    flush();
    auto* h = new ReducerHolder();
    h->state = s;
    std::weak_ptr<ReducerState> weak = s;
    for (size_t i = 0; i < n; ++i) {
      unsigned pos = s->params[i].register_hook([weak, i](const at::Tensor& grad) {
        if (auto st = weak.lock()) markReady(*st, i, grad);
      });
      h->hooks.emplace_back(i, pos);
    }
    return newTaggedExternal(info.Env(), h, kReducerTag, [](Napi::Env, ReducerHolder* r) {
      disposeReducer(r);
      delete r;
    });
  });
}

// finishGradientReduction(reducer) -> Promise<number>: every parameter's .grad is then the average over
// ranks; the number is how many buckets were already being reduced when backward returned.
Napi::Value finishGradientReduction(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return promiseOrRejection(env, [&]() -> Napi::Value {
    auto* w = new FinishWorker(env, unwrapReducer(info[0])->state);
    auto p = w->promise();
    w->Queue();
    return p;
  });
}

Napi::Value gradientReducerBuckets(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto* h = unwrapReducer(info[0]);
    auto out = Napi::Array::New(info.Env(), h->state->buckets.size());
    for (size_t k = 0; k < h->state->buckets.size(); ++k) out.Set(static_cast<uint32_t>(k), static_cast<double>(h->state->buckets[k].params.size()));
    return out;
  });
}

Napi::Value disposeGradientReducer(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    disposeReducer(externalHolder<ReducerHolder>(info[0], kReducerTag, "gradient reducer"));
    return info.Env().Undefined();
  });
}

}  // namespace

void registerGradientReducer(Napi::Env env, Napi::Object exports) {
  exports.Set("createGradientReducer", Napi::Function::New(env, createGradientReducer));
  exports.Set("finishGradientReduction", Napi::Function::New(env, finishGradientReduction));
  exports.Set("gradientReducerBuckets", Napi::Function::New(env, gradientReducerBuckets));
  exports.Set("disposeGradientReducer", Napi::Function::New(env, disposeGradientReducer));
}

}  // namespace mammoclr
