#include "handles.h"

namespace mammoclr {

MemoryCounters& counters() {
  static MemoryCounters c;
  return c;
}

static int64_t tensorBytes(const at::Tensor& t) {
  return t.defined() ? static_cast<int64_t>(t.numel()) * static_cast<int64_t>(t.element_size()) : 0;
}

void releaseHolder(Napi::Env env, TensorHolder* holder) {
  if (!holder->tensor.defined()) return;
  holder->tensor = at::Tensor();
  counters().live -= 1;
  counters().bytes -= holder->bytes;
  Napi::MemoryManagement::AdjustExternalMemory(env, -holder->bytes);
  holder->bytes = 0;
}

Napi::Value wrapTensor(Napi::Env env, at::Tensor tensor) {
  if (!tensor.defined()) return env.Null();
  auto* holder = new TensorHolder();
  holder->bytes = tensorBytes(tensor);
  holder->tensor = std::move(tensor);
  counters().live += 1;
  counters().bytes += holder->bytes;
  Napi::MemoryManagement::AdjustExternalMemory(env, holder->bytes);
  return Napi::External<TensorHolder>::New(env, holder, [](Napi::Env env, TensorHolder* h) {
    releaseHolder(env, h);
    h->magic = 0;
    delete h;
  });
}

TensorHolder* holderOf(const Napi::Value& value) {
  if (!value.IsExternal()) throw Napi::TypeError::New(value.Env(), "expected a tensor");
  auto* holder = value.As<Napi::External<TensorHolder>>().Data();
  if (holder == nullptr || holder->magic != kTensorMagic) throw Napi::TypeError::New(value.Env(), "expected a tensor");
  return holder;
}

const at::Tensor& unwrapTensor(const Napi::Value& value) {
  auto* holder = holderOf(value);
  if (!holder->tensor.defined()) throw Napi::Error::New(value.Env(), "tensor used after dispose()");
  return holder->tensor;
}

Napi::Value wrapGenerator(Napi::Env env, at::Generator generator) {
  auto* holder = new GeneratorHolder();
  holder->generator = std::move(generator);
  return Napi::External<GeneratorHolder>::New(env, holder, [](Napi::Env, GeneratorHolder* h) {
    h->magic = 0;
    delete h;
  });
}

at::Generator unwrapGenerator(const Napi::Value& value) {
  if (!value.IsExternal()) throw Napi::TypeError::New(value.Env(), "expected a generator");
  auto* holder = value.As<Napi::External<GeneratorHolder>>().Data();
  if (holder == nullptr || holder->magic != kGeneratorMagic) throw Napi::TypeError::New(value.Env(), "expected a generator");
  return holder->generator;
}

std::vector<int64_t> toIntVector(const Napi::Value& value, const char* what) {
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be an array of integers");
  auto arr = value.As<Napi::Array>();
  std::vector<int64_t> out(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value v = arr.Get(i);
    if (!v.IsNumber()) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<int64_t>(d))) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be an array of integers");
    out[i] = static_cast<int64_t>(d);
  }
  return out;
}

}  // namespace mammoclr
