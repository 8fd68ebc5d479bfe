// The c10d headers and what the addon's distributed translation units share: the process-group
// type of this libtorch version and the lookup of a JS group handle.
#pragma once
#include "handles.h"
#include <torch/csrc/autograd/custom_function.h>
#if __has_include(<torch/version.h>)
#include <torch/version.h>
#endif

#ifdef MAMMOCLR_WITH_GLOO
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef MAMMOCLR_WITH_NCCL
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>

#if defined(TORCH_VERSION_MAJOR) && TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#define MAMMOCLR_C10D_BACKEND 1
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif

namespace mammoclr {

#ifdef MAMMOCLR_C10D_BACKEND
using Group = c10d::Backend;
#else
using Group = c10d::ProcessGroup;
#endif

struct GroupRef {
  c10::intrusive_ptr<Group> group;
  int64_t id = 0;
  int rank = 0;
  int size = 1;
};

// The live group behind a JS handle; throws a JS TypeError/Error for other values and destroyed groups.
GroupRef groupRefOf(const Napi::Value& value);
// A live group by its id (autograd functions keep ids, not handles); throws once it is destroyed.
c10::intrusive_ptr<Group> groupById(int64_t id);
// c10d's message without the C++ backtrace.
std::string c10dMessage(const std::exception& e);

// Runs `start`, which queues an asynchronous worker and returns its promise; an error while
// starting becomes a rejected promise too, so callers handle one kind of failure.
template <typename Start>
Napi::Value promiseOrRejection(Napi::Env env, Start&& start) {
  auto reject = [&](Napi::Value reason) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(reason);
    return d.Promise();
  };
  try {
    return start();
  } catch (const Napi::Error& e) {
    return reject(e.Value());
  } catch (const std::exception& e) {
    return reject(Napi::Error::New(env, c10dMessage(e)).Value());
  }
}

void registerGradientReducer(Napi::Env env, Napi::Object exports);
void registerSyncBatchNorm(Napi::Env env, Napi::Object exports);

}  // namespace mammoclr
