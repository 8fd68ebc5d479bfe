// Tensor and generator handles shared by the addon's translation units.
// A JS tensor is an External pointing at a TensorHolder; dispose() resets the tensor at once,
// the finalizer (GC) is the safety net that frees whatever was never disposed. Every External
// this addon makes carries a type tag (napi_type_tag_object, N-API 8) naming what it holds, so a
// foreign value or another kind of handle is refused with a TypeError before it is dereferenced.
#pragma once
#include <napi.h>
#include <ATen/ATen.h>
#include <atomic>
#include <cstdint>
#include <string>

namespace mammoclr {

// The type tags of the addon's handles (random 128-bit values, one per kind).
constexpr napi_type_tag kTensorTag = {0x7e50a11c3f2b4d61ULL, 0x9a1e64c0d2b7f385ULL};
constexpr napi_type_tag kGeneratorTag = {0x6e7e4a70b15c4e02ULL, 0x83d9f1a4c6e2075bULL};
constexpr napi_type_tag kGroupTag = {0x9c10d0a14e7a4b93ULL, 0xb2f6c80d1a5e3c47ULL};
constexpr napi_type_tag kReducerTag = {0x9adbe7c1d04f4a2cULL, 0x8e13b5a7f9c2d640ULL};

// Marks an External (or object) with a tag; isTagged says whether a value carries it.
void tagHandle(Napi::Env env, const Napi::Value& value, const napi_type_tag& tag);
bool isTagged(const Napi::Value& value, const napi_type_tag& tag);

struct TensorHolder {
  at::Tensor tensor;
  int64_t bytes = 0;  // what was reported to V8 and to the live-byte counter
};

struct GeneratorHolder {
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

// The holder behind an External this addon made with the given tag (process groups, gradient
// reducers, live or released); a TypeError naming `what` for any other value.
template <typename Holder>
Holder* externalHolder(const Napi::Value& value, const napi_type_tag& tag, const char* what) {
  Holder* h = value.IsExternal() && isTagged(value, tag) ? value.As<Napi::External<Holder>>().Data() : nullptr;
  if (h == nullptr) throw Napi::TypeError::New(value.Env(), std::string("expected a ") + what);
  return h;
}

// Wraps a holder in a new External with a finalizer, tagged as `tag`.
template <typename Holder, typename Finalizer>
Napi::Value newTaggedExternal(Napi::Env env, Holder* holder, const napi_type_tag& tag, Finalizer fin) {
  auto ext = Napi::External<Holder>::New(env, holder, fin);
  tagHandle(env, ext, tag);
  return ext;
}

void registerTensorIo(Napi::Env env, Napi::Object exports);
void registerDispatch(Napi::Env env, Napi::Object exports);
void registerAutograd(Napi::Env env, Napi::Object exports);
void registerDistributed(Napi::Env env, Napi::Object exports);
void registerCpuAllocator(Napi::Env env, Napi::Object exports);
// Makes the caching allocator (cpu_allocator.cc) libtorch's CPU allocator, unless MAMMOCLR_CPU_CACHE=0.
void installCpuAllocator();

}  // namespace mammoclr
