// Tensor and generator handles shared by the addon's translation units.
// A JS tensor is an External pointing at a TensorHolder; dispose() resets the tensor at once,
// the finalizer (GC) is the safety net that frees whatever was never disposed.
#pragma once
#include <napi.h>
#include <ATen/ATen.h>
#include <atomic>
#include <cstdint>
#include <string>

namespace mammoclr {

constexpr uint32_t kTensorMagic = 0x7e50a11c;
constexpr uint32_t kGeneratorMagic = 0x6e7e4a70;

struct TensorHolder {
  uint32_t magic = kTensorMagic;
  at::Tensor tensor;
  int64_t bytes = 0;  // what was reported to V8 and to the live-byte counter
};

struct GeneratorHolder {
  uint32_t magic = kGeneratorMagic;
  at::Generator generator;
};

struct MemoryCounters {
  std::atomic<int64_t> live{0};
  std::atomic<int64_t> bytes{0};
};
MemoryCounters& counters();

// Wraps a tensor in a new External (an undefined tensor becomes null).
Napi::Value wrapTensor(Napi::Env env, at::Tensor tensor);
// The tensor behind a handle; throws a JS-readable error for foreign values and disposed tensors.
const at::Tensor& unwrapTensor(const Napi::Value& value);
TensorHolder* holderOf(const Napi::Value& value);
at::Generator unwrapGenerator(const Napi::Value& value);
Napi::Value wrapGenerator(Napi::Env env, at::Generator generator);
void releaseHolder(Napi::Env env, TensorHolder* holder);

// Runs fn, turning libtorch and std exceptions into JS exceptions with libtorch's one-line message.
template <typename Fn>
Napi::Value guarded(const Napi::CallbackInfo& info, Fn&& fn) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(info.Env(), e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(info.Env(), "out of memory: the engine could not allocate the tensor");
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

std::vector<int64_t> toIntVector(const Napi::Value& value, const char* what);

// The holder behind an External this addon made with the given magic (process groups, gradient
// reducers, live or released); a TypeError naming `what` for any other value.
template <typename Holder>
Holder* externalHolder(const Napi::Value& value, uint32_t magic, const char* what) {
  Holder* h = value.IsExternal() ? value.As<Napi::External<Holder>>().Data() : nullptr;
  if (h == nullptr || h->magic != magic) throw Napi::TypeError::New(value.Env(), std::string("expected a ") + what);
  return h;
}

void registerTensorIo(Napi::Env env, Napi::Object exports);
void registerDispatch(Napi::Env env, Napi::Object exports);
void registerAutograd(Napi::Env env, Napi::Object exports);
void registerDistributed(Napi::Env env, Napi::Object exports);
void registerCpuAllocator(Napi::Env env, Napi::Object exports);
// Makes the caching allocator (cpu_allocator.cc) libtorch's CPU allocator, unless MAMMOCLR_CPU_CACHE=0.
void installCpuAllocator();

}  // namespace mammoclr
