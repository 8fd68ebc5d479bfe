// Every ATen operator through the dispatcher's boxed calling convention: the operator's own
// schema says how to convert each JS argument, so one small function reaches all of ATen with
// autograd and autocast applied exactly as in PyTorch (both sit in the dispatcher).
#include "handles.h"
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <deque>

namespace mammoclr {
namespace {

std::deque<c10::OperatorHandle>& operatorTable() {
  static std::deque<c10::OperatorHandle> table;
  return table;
}

std::string describe(const c10::OperatorHandle& op) {
  const auto& name = op.operator_name();
  return name.overload_name.empty() ? name.name : name.name + "." + name.overload_name;
}

// Where an argument is being converted: enough to write the error message, which is built only
// when a conversion fails (a call that succeeds builds no strings).
struct ArgContext {
  const c10::OperatorHandle& op;
  const c10::Argument& param;
  const Napi::Array& args;
};

// A JS value's kind, for error messages: Tensor, Generator, number, string, array, null, ...
std::string kindOf(const Napi::Value& v) {
  if (v.IsExternal()) {
    if (isTagged(v, kTensorTag)) return "Tensor";
    if (isTagged(v, kGeneratorTag)) return "Generator";
    return "external";
  }
  if (v.IsNull()) return "null";
  if (v.IsUndefined()) return "undefined";
  if (v.IsArray()) {
    auto arr = v.As<Napi::Array>();
    std::string out = "[";
    for (uint32_t i = 0; i < arr.Length() && i < 4; ++i) out += (i ? ", " : "") + kindOf(arr.Get(i));
    if (arr.Length() > 4) out += ", ...";
    return out + "]";
  }
  if (v.IsNumber()) return "number";
  if (v.IsBoolean()) return "boolean";
  if (v.IsString()) return "string";
  if (v.IsBigInt()) return "bigint";
  if (v.IsFunction()) return "function";
  return "object";
}

// "aten::add.Scalar(Tensor, string)": the operator and the kinds of the arguments it was given.
std::string callDescription(const c10::OperatorHandle& op, const Napi::Array& args) {
  std::string out = describe(op) + "(";
  uint32_t n = args.Length();
  while (n > 0 && args.Get(n - 1).IsUndefined()) --n;  // arguments left to their defaults
  for (uint32_t i = 0; i < n; ++i) out += (i ? ", " : "") + kindOf(args.Get(i));
  return out + ")";
}

[[noreturn]] void argError(const Napi::Value& v, const ArgContext& cx, const std::string& what) {
  throw Napi::TypeError::New(v.Env(), describe(cx.op) + " argument '" + cx.param.name() + "': " + what +
                                          " (called as " + callDescription(cx.op, cx.args) + ")");
}

const at::Tensor& argTensor(const Napi::Value& v, const ArgContext& cx) {
  if (!v.IsExternal() || !isTagged(v, kTensorTag)) argError(v, cx, "expected a tensor, got " + kindOf(v));
  return unwrapTensor(v);
}

c10::IValue toIValue(const Napi::Value& v, const c10::TypePtr& type, const ArgContext& cx);

double toNumber(const Napi::Value& v, const ArgContext& cx) {
  if (v.IsNumber()) return v.As<Napi::Number>().DoubleValue();
  if (v.IsBigInt()) {
    bool lossless = true;
    return static_cast<double>(v.As<Napi::BigInt>().Int64Value(&lossless));
  }
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1.0 : 0.0;
  argError(v, cx, "expected a number");
}

int64_t toInt(const Napi::Value& v, const ArgContext& cx) {
  if (v.IsBigInt()) {
    bool lossless = true;
    return v.As<Napi::BigInt>().Int64Value(&lossless);
  }
  double d = toNumber(v, cx);
  if (d != static_cast<double>(static_cast<int64_t>(d))) argError(v, cx, "expected an integer");
  return static_cast<int64_t>(d);
}

c10::IValue toScalar(const Napi::Value& v, const ArgContext& cx) {
  if (v.IsBoolean()) return c10::IValue(v.As<Napi::Boolean>().Value());
  if (v.IsBigInt()) return c10::IValue(toInt(v, cx));
  double d = toNumber(v, cx);
  // An integral JS number becomes an integer Scalar so integer tensors keep their dtype.
  if (std::isfinite(d) && d == static_cast<double>(static_cast<int64_t>(d)) && std::abs(d) < 9.0e15)
    return c10::IValue(static_cast<int64_t>(d));
  return c10::IValue(d);
}

c10::IValue toList(const Napi::Value& v, const c10::TypePtr& elem, const ArgContext& cx) {
  // A single number for an int[] broadcasts, as in PyTorch's int[2] stride=1.
  if (!v.IsArray()) {
    if (elem->kind() == c10::TypeKind::IntType || elem->kind() == c10::TypeKind::SymIntType)
      return c10::IValue(std::vector<int64_t>{toInt(v, cx)});
    argError(v, cx, "expected an array");
  }
  auto arr = v.As<Napi::Array>();
  uint32_t n = arr.Length();
  switch (elem->kind()) {
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType: {
      std::vector<int64_t> out(n);
      for (uint32_t i = 0; i < n; ++i) out[i] = toInt(arr.Get(i), cx);
      return c10::IValue(out);
    }
    case c10::TypeKind::FloatType: {
      std::vector<double> out(n);
      for (uint32_t i = 0; i < n; ++i) out[i] = toNumber(arr.Get(i), cx);
      return c10::IValue(out);
    }
    case c10::TypeKind::BoolType: {
      c10::List<bool> out;
      for (uint32_t i = 0; i < n; ++i) out.push_back(arr.Get(i).ToBoolean().Value());
      return c10::IValue(out);
    }
    case c10::TypeKind::TensorType: {
      std::vector<at::Tensor> out;
      out.reserve(n);
      for (uint32_t i = 0; i < n; ++i) out.push_back(argTensor(arr.Get(i), cx));
      return c10::IValue(out);
    }
    case c10::TypeKind::OptionalType: {
      c10::List<c10::optional<at::Tensor>> out;
      for (uint32_t i = 0; i < n; ++i) {
        Napi::Value e = arr.Get(i);
        if (e.IsNull() || e.IsUndefined()) out.push_back(c10::nullopt);
        else out.push_back(argTensor(e, cx));
      }
      return c10::IValue(out);
    }
    default:
      argError(v, cx, "unsupported list type " + elem->str());
  }
}

c10::IValue toIValue(const Napi::Value& v, const c10::TypePtr& type, const ArgContext& cx) {
  switch (type->kind()) {
    case c10::TypeKind::OptionalType:
      if (v.IsNull() || v.IsUndefined()) return c10::IValue();
      return toIValue(v, type->expectRef<c10::OptionalType>().getElementType(), cx);
    case c10::TypeKind::TensorType:
      return c10::IValue(argTensor(v, cx));
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType:
    case c10::TypeKind::ScalarTypeType:
    case c10::TypeKind::LayoutType:
    case c10::TypeKind::MemoryFormatType:
      return c10::IValue(toInt(v, cx));
    case c10::TypeKind::FloatType:
      return c10::IValue(toNumber(v, cx));
    case c10::TypeKind::BoolType:
      return c10::IValue(v.ToBoolean().Value());
    case c10::TypeKind::NumberType:
      return toScalar(v, cx);
    case c10::TypeKind::StringType:
      if (!v.IsString()) argError(v, cx, "expected a string");
      return c10::IValue(v.As<Napi::String>().Utf8Value());
    case c10::TypeKind::DeviceObjType:
      if (!v.IsString()) argError(v, cx, "expected a device string");
      return c10::IValue(c10::Device(v.As<Napi::String>().Utf8Value()));
    case c10::TypeKind::GeneratorType:
      return c10::IValue(unwrapGenerator(v));
    case c10::TypeKind::ListType:
      return toList(v, type->expectRef<c10::ListType>().getElementType(), cx);
    default:
      argError(v, cx, "unsupported argument type " + type->str());
  }
}

Napi::Value fromIValue(Napi::Env env, const c10::IValue& v) {
  if (v.isTensor()) return wrapTensor(env, v.toTensor());
  if (v.isNone()) return env.Null();
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isTensorList()) {
    auto list = v.toTensorList();
    auto arr = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); ++i) arr.Set(static_cast<uint32_t>(i), wrapTensor(env, list.get(i)));
    return arr;
  }
  if (v.isIntList()) {
    auto list = v.toIntVector();
    auto arr = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); ++i) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(list[i])));
    return arr;
  }
  if (v.isTuple()) {
    const auto& elems = v.toTupleRef().elements();
    auto arr = Napi::Array::New(env, elems.size());
    for (size_t i = 0; i < elems.size(); ++i) arr.Set(static_cast<uint32_t>(i), fromIValue(env, elems[i]));
    return arr;
  }
  throw Napi::TypeError::New(env, "unsupported return type " + v.tagKind());
}

// resolveOp(name, overload) -> integer handle, resolved once per operator by the TS layer.
Napi::Value resolveOp(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::string name = info[0].As<Napi::String>().Utf8Value();
    std::string overload = info[1].As<Napi::String>().Utf8Value();
    auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name.c_str(), overload.c_str());
    operatorTable().push_back(handle);
    return Napi::Number::New(info.Env(), static_cast<double>(operatorTable().size() - 1));
  });
}

// callOp(handle, args[]) -> the operator's result (a tensor, null, a number, or an array for several returns).
Napi::Value callOp(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto& table = operatorTable();
    auto index = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
    if (index >= table.size()) throw Napi::RangeError::New(info.Env(), "unknown operator handle");
    const c10::OperatorHandle& op = table[index];
    const auto& schema = op.schema();
    const auto& params = schema.arguments();
    auto args = info[1].As<Napi::Array>();
    if (args.Length() > params.size())
      throw Napi::TypeError::New(info.Env(), callDescription(op, args) + ": too many arguments (" + std::to_string(args.Length()) + " for " + std::to_string(params.size()) + ")");
    torch::jit::Stack stack;
    stack.reserve(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& param = params[i];
      Napi::Value v = i < args.Length() ? args.Get(static_cast<uint32_t>(i)) : info.Env().Undefined();
      if (v.IsUndefined()) {
        if (param.default_value()) { stack.push_back(*param.default_value()); continue; }
        if (param.type()->kind() == c10::TypeKind::OptionalType) { stack.emplace_back(); continue; }
        throw Napi::TypeError::New(info.Env(), callDescription(op, args) + ": missing argument '" + param.name() + "'");
      }
      stack.push_back(toIValue(v, param.type(), ArgContext{op, param, args}));
    }
    try {
      op.callBoxed(&stack);
    } catch (const c10::Error& e) {
      // libtorch's own message first (tests and users match on it), then the call that failed.
      throw Napi::Error::New(info.Env(), std::string(e.what_without_backtrace()) + " [in " + callDescription(op, args) + "]");
    }
    if (stack.size() == 1) return fromIValue(info.Env(), stack[0]);
    auto out = Napi::Array::New(info.Env(), stack.size());
    for (size_t i = 0; i < stack.size(); ++i) out.Set(static_cast<uint32_t>(i), fromIValue(info.Env(), stack[i]));
    return out;
  });
}

// The schema string of an operator, for error messages and for writing the TS wrappers.
Napi::Value opSchema(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    auto index = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
    std::ostringstream os;
    os << operatorTable().at(index).schema();
    return Napi::String::New(info.Env(), os.str());
  });
}

}  // namespace

void registerDispatch(Napi::Env env, Napi::Object exports) {
  exports.Set("resolveOp", Napi::Function::New(env, resolveOp));
  exports.Set("callOp", Napi::Function::New(env, callOp));
  exports.Set("opSchema", Napi::Function::New(env, opSchema));
}

}  // namespace mammoclr
