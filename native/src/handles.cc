#include "handles.h"

namespace mammoclr {

void tagHandle(Napi::Env env, const Napi::Value& value, const napi_type_tag& tag) {
  napi_status status = napi_type_tag_object(env, value, &tag);
  if (status != napi_ok) throw Napi::Error::New(env, "cannot tag a native handle");
}

bool isTagged(const Napi::Value& value, const napi_type_tag& tag) {
  bool result = false;
  return napi_check_object_type_tag(value.Env(), value, &tag, &result) == napi_ok && result;
}

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
  return newTaggedExternal(env, holder, kTensorTag, [](Napi::Env env, TensorHolder* h) {
    releaseHolder(env, h);
    delete h;
  });
}

TensorHolder* holderOf(const Napi::Value& value) {
  if (!value.IsExternal() || !isTagged(value, kTensorTag)) throw Napi::TypeError::New(value.Env(), "expected a tensor");
  return value.As<Napi::External<TensorHolder>>().Data();
}

const at::Tensor& unwrapTensor(const Napi::Value& value) {
  auto* holder = holderOf(value);
  if (!holder->tensor.defined()) throw Napi::Error::New(value.Env(), "tensor used after dispose()");
  return holder->tensor;
}

Napi::Value wrapGenerator(Napi::Env env, at::Generator generator) {
  auto* holder = new GeneratorHolder();
  holder->generator = std::move(generator);
  return newTaggedExternal(env, holder, kGeneratorTag, [](Napi::Env, GeneratorHolder* h) { delete h; });
}

at::Generator unwrapGenerator(const Napi::Value& value) {
  if (!value.IsExternal() || !isTagged(value, kGeneratorTag)) throw Napi::TypeError::New(value.Env(), "expected a generator");
  return value.As<Napi::External<GeneratorHolder>>().Data()->generator;
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
