// Autograd entry points that are not operators: backward, .grad, requires_grad, grad mode,
// and gradients of chosen outputs with respect to chosen inputs (Grad-CAM).
#include "handles.h"
#include <torch/csrc/autograd/autograd.h>

namespace mammoclr {
namespace {

std::vector<at::Tensor> tensorList(const Napi::Value& value) {
  auto arr = value.As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); ++i) out.push_back(unwrapTensor(arr.Get(i)));
  return out;
}

// backward(tensor, gradient | null, retainGraph)
Napi::Value backward(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const at::Tensor& t = unwrapTensor(info[0]);
    at::Tensor gradient = info[1].IsNull() || info[1].IsUndefined() ? at::Tensor() : unwrapTensor(info[1]);
    bool retain = info[2].ToBoolean().Value();
    t.backward(gradient, retain, false);
    return info.Env().Undefined();
  });
}

Napi::Value grad(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value { return wrapTensor(info.Env(), unwrapTensor(info[0]).grad()); });
}

// setGrad(tensor, gradient | null): null clears it, as optimizer.zero_grad(set_to_none=True).
Napi::Value setGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    at::Tensor t = unwrapTensor(info[0]);
    if (info[1].IsNull() || info[1].IsUndefined()) t.mutable_grad().reset();
    else t.mutable_grad() = unwrapTensor(info[1]);
    return info.Env().Undefined();
  });
}

Napi::Value setRequiresGrad(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    at::Tensor t = unwrapTensor(info[0]);
    t.set_requires_grad(info[1].ToBoolean().Value());
    return info.Env().Undefined();
  });
}

// gradients(outputs, inputs, gradOutputs | null, retainGraph, createGraph, allowUnused)
Napi::Value gradients(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto outputs = tensorList(info[0]);
    auto inputs = tensorList(info[1]);
    std::vector<at::Tensor> gradOutputs;
    if (info[2].IsArray()) gradOutputs = tensorList(info[2]);
    bool retain = info[3].ToBoolean().Value();
    bool create = info[4].ToBoolean().Value();
    bool allowUnused = info[5].ToBoolean().Value();
    auto result = torch::autograd::grad(outputs, inputs, gradOutputs, retain, create, allowUnused);
    auto arr = Napi::Array::New(info.Env(), result.size());
    for (size_t i = 0; i < result.size(); ++i) arr.Set(static_cast<uint32_t>(i), wrapTensor(info.Env(), result[i]));
    return arr;
  });
}

// setGradEnabled(enabled) -> the previous mode, so the TS layer can restore it.
Napi::Value setGradEnabled(const Napi::CallbackInfo& info) {
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(info[0].ToBoolean().Value());
  return Napi::Boolean::New(info.Env(), previous);
}

Napi::Value isGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}

}  // namespace

void registerAutograd(Napi::Env env, Napi::Object exports) {
  exports.Set("backward", Napi::Function::New(env, backward));
  exports.Set("grad", Napi::Function::New(env, grad));
  exports.Set("setGrad", Napi::Function::New(env, setGrad));
  exports.Set("setRequiresGrad", Napi::Function::New(env, setRequiresGrad));
  exports.Set("gradients", Napi::Function::New(env, gradients));
  exports.Set("setGradEnabled", Napi::Function::New(env, setGradEnabled));
  exports.Set("isGradEnabled", Napi::Function::New(env, isGradEnabled));
}

}  // namespace mammoclr
