// Moving data between JS typed arrays and tensors, tensor metadata, and release.
#include "handles.h"
#include <cstring>

namespace mammoclr {
namespace {

// fromBuffer(typedArray, shape, scalarType) -> a new CPU tensor owning a copy of the bytes.
Napi::Value fromBuffer(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    if (!info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "fromBuffer: expected a typed array");
    auto array = info[0].As<Napi::TypedArray>();
    auto shape = toIntVector(info[1], "shape");
    auto dtype = static_cast<at::ScalarType>(info[2].As<Napi::Number>().Int32Value());
    int64_t numel = 1;
    for (auto d : shape) {
      if (d < 0) throw Napi::RangeError::New(info.Env(), "shape entries must be non-negative");
      numel *= d;
    }
    auto options = at::TensorOptions().dtype(dtype);
    int64_t needed = numel * static_cast<int64_t>(c10::elementSize(dtype));
    if (static_cast<int64_t>(array.ByteLength()) != needed)
      throw Napi::RangeError::New(info.Env(), "fromBuffer: " + std::to_string(array.ByteLength()) + " bytes given for shape of " +
                                                  std::to_string(numel) + " elements of " + std::string(c10::toString(dtype)) + " (" +
                                                  std::to_string(needed) + " bytes)");
    at::Tensor t = at::empty(shape, options);
    auto* src = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    if (needed > 0) std::memcpy(t.data_ptr(), src, static_cast<size_t>(needed));
    return wrapTensor(info.Env(), t);
  });
}

// toBuffer(tensor) -> ArrayBuffer with a contiguous CPU copy of the elements.
Napi::Value toBuffer(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    at::Tensor t = unwrapTensor(info[0]);
    {
      at::NoGradGuard noGrad;
      t = t.detach().to(at::kCPU).contiguous();
      if (t.is_conj()) t = t.resolve_conj();
    }
    size_t n = static_cast<size_t>(t.numel()) * t.element_size();
    auto buffer = Napi::ArrayBuffer::New(info.Env(), n);
    if (n > 0) std::memcpy(buffer.Data(), t.data_ptr(), n);
    return buffer;
  });
}

// meta(tensor) -> [shape, scalarType, device, requiresGrad, strides]
Napi::Value meta(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const at::Tensor& t = unwrapTensor(info[0]);
    Napi::Env env = info.Env();
    auto shape = Napi::Array::New(env, t.dim());
    auto strides = Napi::Array::New(env, t.dim());
    for (int64_t i = 0; i < t.dim(); ++i) {
      shape.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(t.size(i))));
      strides.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(t.stride(i))));
    }
    auto out = Napi::Array::New(env, 5);
    out.Set(0u, shape);
    out.Set(1u, Napi::Number::New(env, static_cast<int>(t.scalar_type())));
    out.Set(2u, Napi::String::New(env, t.device().str()));
    out.Set(3u, Napi::Boolean::New(env, t.requires_grad()));
    out.Set(4u, strides);
    return out;
  });
}

Napi::Value item(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const at::Tensor& t = unwrapTensor(info[0]);
    if (t.numel() != 1) throw Napi::Error::New(info.Env(), "item(): the tensor has " + std::to_string(t.numel()) + " elements, not 1");
    if (t.scalar_type() == at::kBool) return Napi::Boolean::New(info.Env(), t.item<bool>());
    return Napi::Number::New(info.Env(), t.item<double>());
  });
}

Napi::Value isContiguous(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    const at::Tensor& t = unwrapTensor(info[0]);
    auto format = static_cast<at::MemoryFormat>(info[1].As<Napi::Number>().Int32Value());
    return Napi::Boolean::New(info.Env(), t.is_contiguous(format));
  });
}

Napi::Value dispose(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    releaseHolder(info.Env(), holderOf(info[0]));
    return info.Env().Undefined();
  });
}

Napi::Value isDisposed(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    return Napi::Boolean::New(info.Env(), !holderOf(info[0])->tensor.defined());
  });
}

// Two handles on one TensorImpl (an in-place result is its input).
Napi::Value sameTensor(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    return Napi::Boolean::New(info.Env(), unwrapTensor(info[0]).is_same(unwrapTensor(info[1])));
  });
}

Napi::Value memoryStats(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  out.Set("liveTensors", Napi::Number::New(info.Env(), static_cast<double>(counters().live.load())));
  out.Set("liveBytes", Napi::Number::New(info.Env(), static_cast<double>(counters().bytes.load())));
  return out;
}

}  // namespace

void registerTensorIo(Napi::Env env, Napi::Object exports) {
  exports.Set("fromBuffer", Napi::Function::New(env, fromBuffer));
  exports.Set("toBuffer", Napi::Function::New(env, toBuffer));
  exports.Set("meta", Napi::Function::New(env, meta));
  exports.Set("item", Napi::Function::New(env, item));
  exports.Set("isContiguous", Napi::Function::New(env, isContiguous));
  exports.Set("dispose", Napi::Function::New(env, dispose));
  exports.Set("isDisposed", Napi::Function::New(env, isDisposed));
  exports.Set("sameTensor", Napi::Function::New(env, sameTensor));
  exports.Set("memoryStats", Napi::Function::New(env, memoryStats));
}

}  // namespace mammoclr
