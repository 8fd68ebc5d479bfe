// Synchronized BatchNorm in training (SimCLR's global_bn, PyTorch's SyncBatchNorm) as one
// autograd function over fused ATen kernels, so it costs about what BatchNorm costs plus two
// small collectives per layer (a composite of element-wise autograd ops took 4 s more per
// ResNet-50 step at 128 views).
//
// Forward: each rank's per-channel mean and biased variance (BatchNorm's statistics kernel) and count are
// all-gathered and combined (Chan et al.'s parallel variance: mean = sum n_r m_r / M,
// var = sum n_r (v_r + (m_r - mean)^2) / M, exact, as PyTorch's batch_norm_gather_stats);
// the running statistics move with the unbiased M/(M-1) var; y is BatchNorm's inference
// kernel with the global statistics.
// Backward: the local sums S1 = sum dy and S2 = sum dy * xhat (from BatchNorm's inference
// backward kernel, which also gives the weight and bias gradients and w invstd dy) are all-reduced, and
// dx = w * invstd * (dy - S1/M - xhat * S2/M), the gradient of every rank's loss through the
// shared statistics (as PyTorch's batch_norm_backward_elemt). Statistics are float32; y and dx
// keep the input's dtype (bf16 under autocast), as BatchNorm's.
#include "distributed.h"

namespace mammoclr {
namespace {

struct SyncBatchNormFn : public torch::autograd::Function<SyncBatchNormFn> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, at::Tensor x, at::Tensor weight, at::Tensor bias, at::Tensor runningMean,
                            at::Tensor runningVar, double momentum, double eps, int64_t groupId, int64_t worldSize) {
    // The input's dtype as given: autocast must not cast inside (BatchNorm runs in its input's dtype).
    c10::impl::ExcludeDispatchKeyGuard noAutocast(c10::DispatchKey::AutocastCPU);
    auto group = groupById(groupId);
    const int64_t c = x.size(1);
    const double n = static_cast<double>(x.numel() / std::max<int64_t>(1, c));
    // Statistics in float32 (float64 for float64 input), also for bf16/fp16 input: BatchNorm's
    // kernels read the low-precision tensor and accumulate in float (their mixed-type path,
    // chosen by float running statistics), so no float copy of x is made.
    auto statOptions = x.options().dtype(x.scalar_type() == at::kDouble ? at::kDouble : at::kFloat);
    at::Tensor mean;
    at::Tensor var;
    if (n > 0) {
      // BatchNorm's own statistics kernel: mean and biased variance (the dummy running
      // statistics stay as they are with momentum 0), three times faster than a generic
      // reduction over (N, H, W).
      at::Tensor dummyMean = at::zeros({c}, statOptions);
      at::Tensor dummyVar = at::ones({c}, statOptions);
      std::tie(mean, var) = at::batch_norm_update_stats(x, dummyMean, dummyVar, 0.0);
    } else {
      mean = at::zeros({c}, statOptions);
      var = at::zeros({c}, statOptions);
    }
    at::Tensor local = at::cat({mean, var, at::full({1}, n, statOptions)});
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int64_t r = 0; r < worldSize; ++r) outputs[0].push_back(at::empty_like(local));
    std::vector<at::Tensor> inputs{local};
    group->allgather(outputs, inputs)->wait();
    at::Tensor all = at::stack(outputs[0], 0);
    at::Tensor counts = all.narrow(1, 2 * c, 1);
    const double total = counts.sum().item<double>();
    TORCH_CHECK(total > 0, "SyncBatchNorm: no rank has samples in this batch");
    at::Tensor means = all.narrow(1, 0, c);
    at::Tensor gmean = (means * counts).sum(0) / total;
    at::Tensor gvar = ((all.narrow(1, c, c) + (means - gmean).square()) * counts).sum(0) / total;
    {
      at::NoGradGuard noGrad;
      runningMean.mul_(1 - momentum).add_(gmean.to(runningMean.scalar_type()), momentum);
      runningVar.mul_(1 - momentum).add_((gvar * (total / std::max(1.0, total - 1))).to(runningVar.scalar_type()), momentum);
    }
    at::Tensor y = at::batch_norm(x, weight, bias, gmean, gvar, /*training=*/false, 0.0, eps, /*cudnn_enabled=*/false);
    ctx->save_for_backward({x, weight, gmean, gvar});
    ctx->saved_data["group"] = groupId;
    ctx->saved_data["total"] = total;
    ctx->saved_data["eps"] = eps;
    ctx->saved_data["hasBias"] = bias.defined();
    return y;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    c10::impl::ExcludeDispatchKeyGuard noAutocast(c10::DispatchKey::AutocastCPU);
    auto saved = ctx->get_saved_variables();
    at::Tensor x = saved[0];
    at::Tensor weight = saved[1];
    at::Tensor mean = saved[2];
    at::Tensor var = saved[3];
    auto group = groupById(ctx->saved_data["group"].toInt());
    const double total = ctx->saved_data["total"].toDouble();
    const double eps = ctx->saved_data["eps"].toDouble();
    const int64_t c = x.size(1);
    at::Tensor dy = grads[0].to(x.scalar_type()).contiguous(x.suggest_memory_format());
    at::Tensor w = weight.defined() ? weight : at::ones({c}, mean.options());
    // BatchNorm's inference-mode backward kernel, one fused pass: dx = w * invstd * dy, and the
    // local sums grad_weight = sum dy * xhat, grad_bias = sum dy.
    auto local = at::native_batch_norm_backward(dy, x, w, mean, var, at::Tensor(), at::Tensor(), /*train=*/false, eps, {true, true, true});
    at::Tensor dx = std::get<0>(local);
    at::Tensor sumDyXhat = std::get<1>(local);
    at::Tensor sumDy = std::get<2>(local);
    at::Tensor sums = at::cat({sumDy, sumDyXhat});
    std::vector<at::Tensor> v{sums};
    group->allreduce(v)->wait();
    // The global-statistics terms, -w invstd (S1/M + xhat S2/M), are again an affine map of
    // xhat: BatchNorm's inference kernel computes them in float from x in its own dtype.
    at::Tensor a = w * (var + eps).rsqrt();
    at::Tensor correction = at::batch_norm(x, -a * sums.narrow(0, c, c) / total, -a * sums.narrow(0, 0, c) / total, mean, var, /*training=*/false, 0.0, eps, false);
    dx.add_(correction);
    at::Tensor gw = weight.defined() ? sumDyXhat.to(weight.scalar_type()) : at::Tensor();
    at::Tensor gb = ctx->saved_data["hasBias"].toBool() ? sumDy : at::Tensor();
    return {dx, gw, gb, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

at::Tensor optionalTensor(const Napi::Value& v) { return v.IsNull() || v.IsUndefined() ? at::Tensor() : unwrapTensor(v); }

// syncBatchNorm(group, x, weight|null, bias|null, runningMean, runningVar, momentum, eps) -> y
Napi::Value syncBatchNorm(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    GroupRef g = groupRefOf(info[0]);
    const at::Tensor& x = unwrapTensor(info[1]);
    TORCH_CHECK(x.dim() >= 2, "syncBatchNorm: expected an input [N, C, ...]");
    at::Tensor weight = optionalTensor(info[2]);
    at::Tensor bias = optionalTensor(info[3]);
    at::Tensor runningMean = unwrapTensor(info[4]);
    at::Tensor runningVar = unwrapTensor(info[5]);
    double momentum = info[6].As<Napi::Number>().DoubleValue();
    double eps = info[7].As<Napi::Number>().DoubleValue();
    return wrapTensor(info.Env(), SyncBatchNormFn::apply(x, weight, bias, runningMean, runningVar, momentum, eps, g.id, static_cast<int64_t>(g.size)));
  });
}

}  // namespace

void registerSyncBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("syncBatchNorm", Napi::Function::New(env, syncBatchNorm));
}

}  // namespace mammoclr
