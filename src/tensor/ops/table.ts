/**
 * The operator table: every ATen operator mammoclr calls, one entry each, in the form of
 * PyTorch's native_functions.yaml (`func`: name.overload, typed arguments with their defaults,
 * returns). scripts/gen-ops.mjs writes src/tensor/ops/aten.ts (one typed function per entry) and
 * src/tensor/ops/generated.ts (the Tensor methods and F functions named here) from it;
 * test/tensor/op-table.test.ts resolves every entry against the loaded libtorch's schemas.
 *
 * Fields besides `func`:
 * - `method`: the Tensor method made from the entry (`self` becomes `this`); entries sharing a
 *   method name are overloads chosen by which arguments are tensors (as PyTorch's arg parser does).
 * - `fn`: the F (torch.nn.functional) function made from the entry, chosen the same way.
 * - `params`: the JS parameters, in JS order, where they differ from the schema's (schema names;
 *   an argument left out takes its schema default).
 * - `rest`: the last JS parameter is a rest parameter (`x.view(2, 3)`).
 * - `jsDefaults`: JS defaults (JS source) for arguments the schema leaves without one.
 * - `jsTypes`: narrower TS types (TS source) than the schema type gives.
 * - `doc`: the first line of the made method's or function's doc comment.
 */
export interface OpEntry {
  readonly func: string;
  readonly method?: string;
  readonly fn?: string;
  readonly params?: readonly string[];
  readonly rest?: boolean;
  readonly jsDefaults?: Readonly<Record<string, string>>;
  readonly jsTypes?: Readonly<Record<string, string>>;
  readonly doc?: string;
}

export const OPS: readonly OpEntry[] = [
  // ---- conversion and layout ----
  { func: 'to.dtype_layout(Tensor(a) self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)' },
  { func: 'contiguous(Tensor(a) self, *, MemoryFormat memory_format=0) -> Tensor(a)' },
  { func: 'clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor' },
  { func: 'detach(Tensor(a) self) -> Tensor(a)', method: 'detach' },

  // ---- element-wise arithmetic ----
  { func: 'add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', method: 'add' },
  { func: 'add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', method: 'add' },
  { func: 'sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor', method: 'sub' },
  { func: 'sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor', method: 'sub' },
  { func: 'mul.Tensor(Tensor self, Tensor other) -> Tensor', method: 'mul' },
  { func: 'mul.Scalar(Tensor self, Scalar other) -> Tensor', method: 'mul' },
  { func: 'div.Tensor(Tensor self, Tensor other) -> Tensor', method: 'div' },
  { func: 'div.Scalar(Tensor self, Scalar other) -> Tensor', method: 'div' },
  { func: 'pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor', method: 'pow' },
  { func: 'pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor', method: 'pow' },
  { func: 'neg(Tensor self) -> Tensor', method: 'neg' },
  { func: 'exp(Tensor self) -> Tensor', method: 'exp' },
  { func: 'log(Tensor self) -> Tensor', method: 'log' },
  { func: 'log1p(Tensor self) -> Tensor', method: 'log1p' },
  { func: 'sqrt(Tensor self) -> Tensor', method: 'sqrt' },
  { func: 'rsqrt(Tensor self) -> Tensor', method: 'rsqrt' },
  { func: 'abs(Tensor self) -> Tensor', method: 'abs' },
  { func: 'square(Tensor self) -> Tensor', method: 'square' },
  { func: 'reciprocal(Tensor self) -> Tensor', method: 'reciprocal' },
  { func: 'sign(Tensor self) -> Tensor', method: 'sign' },
  { func: 'floor(Tensor self) -> Tensor', method: 'floor' },
  { func: 'ceil(Tensor self) -> Tensor', method: 'ceil' },
  { func: 'round(Tensor self) -> Tensor', method: 'round' },
  { func: 'sin(Tensor self) -> Tensor', method: 'sin' },
  { func: 'cos(Tensor self) -> Tensor', method: 'cos' },
  { func: 'relu(Tensor self) -> Tensor', method: 'relu', fn: 'relu' },
  { func: 'sigmoid(Tensor self) -> Tensor', method: 'sigmoid' },
  { func: 'tanh(Tensor self) -> Tensor', method: 'tanh' },
  { func: 'clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor', method: 'clamp' },
  { func: 'clamp_min(Tensor self, Scalar min) -> Tensor', method: 'clampMin' },
  { func: 'minimum(Tensor self, Tensor other) -> Tensor', method: 'minimum' },
  { func: 'maximum(Tensor self, Tensor other) -> Tensor', method: 'maximum' },
  { func: 'addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor' },

  // ---- comparisons and logic ----
  { func: 'eq.Tensor(Tensor self, Tensor other) -> Tensor', method: 'eq' },
  { func: 'eq.Scalar(Tensor self, Scalar other) -> Tensor', method: 'eq' },
  { func: 'ne.Tensor(Tensor self, Tensor other) -> Tensor', method: 'ne' },
  { func: 'ne.Scalar(Tensor self, Scalar other) -> Tensor', method: 'ne' },
  { func: 'lt.Tensor(Tensor self, Tensor other) -> Tensor', method: 'lt' },
  { func: 'lt.Scalar(Tensor self, Scalar other) -> Tensor', method: 'lt' },
  { func: 'le.Tensor(Tensor self, Tensor other) -> Tensor', method: 'le' },
  { func: 'le.Scalar(Tensor self, Scalar other) -> Tensor', method: 'le' },
  { func: 'gt.Tensor(Tensor self, Tensor other) -> Tensor', method: 'gt' },
  { func: 'gt.Scalar(Tensor self, Scalar other) -> Tensor', method: 'gt' },
  { func: 'ge.Tensor(Tensor self, Tensor other) -> Tensor', method: 'ge' },
  { func: 'ge.Scalar(Tensor self, Scalar other) -> Tensor', method: 'ge' },
  { func: 'logical_not(Tensor self) -> Tensor', method: 'logicalNot' },
  { func: 'logical_and(Tensor self, Tensor other) -> Tensor', method: 'logicalAnd' },
  { func: 'logical_or(Tensor self, Tensor other) -> Tensor', method: 'logicalOr' },
  { func: 'isnan(Tensor self) -> Tensor', method: 'isnan' },
  { func: 'isfinite(Tensor self) -> Tensor', method: 'isfinite' },
  { func: 'any(Tensor self) -> Tensor', method: 'any' },
  { func: 'all(Tensor self) -> Tensor', method: 'all' },
  { func: 'masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor', method: 'maskedFill' },
  { func: 'where.self(Tensor condition, Tensor self, Tensor other) -> Tensor', fn: 'where', doc: 'Elements of input where condition is true, else of other.' },
  { func: 'where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor', fn: 'where' },
  { func: 'where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor', fn: 'where' },
  { func: 'where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor', fn: 'where' },

  // ---- reductions ----
  { func: 'sum(Tensor self, *, ScalarType? dtype=None) -> Tensor' },
  { func: 'sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor' },
  { func: 'mean(Tensor self, *, ScalarType? dtype=None) -> Tensor' },
  { func: 'mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor' },
  { func: 'var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor', method: 'var', params: ['dim', 'keepdim', 'unbiased'], doc: 'Sample variance (Bessel-corrected unless unbiased=false).' },
  { func: 'std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor', method: 'std', params: ['dim', 'keepdim', 'unbiased'] },
  { func: 'prod(Tensor self, *, ScalarType? dtype=None) -> Tensor', method: 'prod', params: [] },
  { func: 'max(Tensor self) -> Tensor', method: 'max', doc: 'The maximum over all elements.' },
  { func: 'min(Tensor self) -> Tensor', method: 'min' },
  { func: 'max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)', method: 'maxDim', doc: 'Maximum along a dimension: values and their indices.' },
  { func: 'min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)', method: 'minDim', doc: 'Minimum along a dimension: values and their indices.' },
  { func: 'argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor', method: 'argmax' },
  { func: 'argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor', method: 'argmin' },
  { func: 'logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor', method: 'logsumexp' },
  { func: 'norm.Scalar(Tensor self, Scalar p=2) -> Tensor' },
  { func: 'norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor' },
  { func: 'cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor', method: 'cumsum', params: ['dim'] },
  { func: 'softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor', method: 'softmax', params: ['dim'] },
  { func: 'log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor', method: 'logSoftmax', params: ['dim'] },
  { func: 'topk(Tensor self, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)', method: 'topk' },
  { func: 'sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)', method: 'sort' },
  { func: 'argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor', method: 'argsort' },

  // ---- linear algebra ----
  { func: 'matmul(Tensor self, Tensor other) -> Tensor', method: 'matmul' },
  { func: 'mm(Tensor self, Tensor mat2) -> Tensor', method: 'mm' },
  { func: 't(Tensor(a) self) -> Tensor(a)', method: 't' },
  { func: 'linalg_eigh(Tensor self, str UPLO="L") -> (Tensor eigenvalues, Tensor eigenvectors)' },

  // ---- shape ----
  { func: 'view(Tensor(a) self, SymInt[] size) -> Tensor(a)', method: 'view', rest: true },
  { func: 'reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)', method: 'reshape', rest: true },
  { func: 'permute(Tensor(a) self, int[] dims) -> Tensor(a)', method: 'permute', rest: true },
  { func: 'transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)', method: 'transpose' },
  { func: 'flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)', method: 'flatten' },
  { func: 'unsqueeze(Tensor(a) self, int dim) -> Tensor(a)', method: 'unsqueeze' },
  { func: 'squeeze(Tensor(a) self) -> Tensor(a)' },
  { func: 'squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)' },
  { func: 'expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)', method: 'expand', params: ['size'], rest: true },
  { func: 'expand_as(Tensor(a) self, Tensor other) -> Tensor(a)', method: 'expandAs' },
  { func: 'repeat(Tensor self, SymInt[] repeats) -> Tensor', method: 'repeat', rest: true },
  { func: 'slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)', method: 'slice', doc: "Elements start..end (exclusive) with a step along one dim, as a view (Python's x[:, a:b:s])." },
  { func: 'narrow(Tensor(a) self, int dim, int start, int length) -> Tensor(a)', method: 'narrow' },
  { func: 'select.int(Tensor(a) self, int dim, int index) -> Tensor(a)', method: 'select' },
  { func: 'index_select(Tensor self, int dim, Tensor index) -> Tensor', method: 'indexSelect' },
  { func: 'index.Tensor(Tensor self, Tensor?[] indices) -> Tensor', method: 'index', doc: 'Advanced indexing x[i0, i1, ...] with index tensors (null keeps a dimension whole).' },
  { func: 'gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor', method: 'gather', params: ['dim', 'index'] },
  { func: 'scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor', method: 'scatter' },
  { func: 'scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor', method: 'scatterAdd', doc: 'Out-of-place scatter_add: out[i][index[i][j]] += src[i][j] along dim.' },
  { func: 'flip(Tensor self, int[] dims) -> Tensor', method: 'flip', rest: true },
  { func: 'split.Tensor(Tensor(a -> *) self, int split_size, int dim=0) -> Tensor(a)[]' },
  { func: 'split_with_sizes(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[]' },
  { func: 'chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]', method: 'chunk' },
  { func: 'diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)', method: 'diagonal' },
  { func: 'one_hot(Tensor self, int num_classes=-1) -> Tensor', method: 'oneHot' },
  { func: 'cat(Tensor[] tensors, int dim=0) -> Tensor', fn: 'cat' },
  { func: 'stack(Tensor[] tensors, int dim=0) -> Tensor', fn: 'stack' },

  // ---- in place (optimisers, running statistics, initialisation) ----
  { func: 'add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)', method: 'add_' },
  { func: 'add_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)', method: 'add_' },
  { func: 'sub_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)', method: 'sub_' },
  { func: 'sub_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)', method: 'sub_' },
  { func: 'mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', method: 'mul_' },
  { func: 'mul_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', method: 'mul_' },
  { func: 'div_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)', method: 'div_' },
  { func: 'div_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)', method: 'div_' },
  { func: 'addcmul_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!)', method: 'addcmul_', doc: 'this += value * tensor1 * tensor2' },
  { func: 'addcdiv_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!)', method: 'addcdiv_', doc: 'this += value * tensor1 / tensor2' },
  { func: 'copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)', method: 'copy_', params: ['src'] },
  { func: 'zero_(Tensor(a!) self) -> Tensor(a!)', method: 'zero_' },
  { func: 'fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!)', method: 'fill_' },
  { func: 'clamp_(Tensor(a!) self, Scalar? min=None, Scalar? max=None) -> Tensor(a!)', method: 'clamp_' },
  { func: 'relu_(Tensor(a!) self) -> Tensor(a!)', method: 'relu_' },
  { func: 'uniform_(Tensor(a!) self, float from=0., float to=1., *, Generator? generator=None) -> Tensor(a!)' },
  { func: 'normal_(Tensor(a!) self, float mean=0., float std=1., *, Generator? generator=None) -> Tensor(a!)' },

  // ---- neural-network functions ----
  { func: 'conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] dilation=1, int groups=1) -> Tensor' },
  { func: 'batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor' },
  { func: 'linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor', fn: 'linear', jsDefaults: { bias: 'null' }, doc: 'y = x W^T + b' },
  { func: 'gelu(Tensor self, *, str approximate="none") -> Tensor', fn: 'gelu', jsTypes: { approximate: "'none' | 'tanh'" } },
  { func: 'silu(Tensor self) -> Tensor', fn: 'silu' },
  { func: 'leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor', fn: 'leakyRelu' },
  { func: 'softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor', fn: 'softplus' },
  { func: 'cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100, float label_smoothing=0.) -> Tensor' },
  { func: 'nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) -> Tensor' },
  { func: 'mse_loss(Tensor self, Tensor target, int reduction=1) -> Tensor' },
  { func: 'max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor' },
  { func: 'avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor' },
  { func: 'adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor' },
  { func: 'adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor)' },
  { func: 'upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor' },
  { func: 'upsample_bicubic2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor' },
  { func: 'upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor' },
  { func: 'affine_grid_generator(Tensor theta, int[] size, bool align_corners) -> Tensor', fn: 'affineGrid', jsDefaults: { align_corners: 'false' }, jsTypes: { size: '[number, number, number, number]' }, doc: 'Sampling grids [N, H, W, 2] from affine matrices theta [N, 2, 3] (F.affine_grid).' },
  { func: 'grid_sampler(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor' },
  { func: 'dropout(Tensor input, float p, bool train) -> Tensor', fn: 'dropout' },
  { func: 'constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor', fn: 'pad', doc: 'Constant padding; `pad` lists (left, right, top, bottom, ...) from the last dimension backwards.' },
  { func: 'reflection_pad2d(Tensor self, int[4] padding) -> Tensor', fn: 'reflectionPad2d', jsTypes: { padding: '[number, number, number, number]' } },
  { func: 'cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08) -> Tensor', fn: 'cosineSimilarity', doc: 'Cosine similarity along dim.' },

  // ---- creation and random draws ----
  { func: 'zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'ones(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'empty.memory_format(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor' },
  { func: 'full(SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor' },
  { func: 'ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor' },
  { func: 'arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'eye(int n, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'randn.generator(int[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'rand.generator(int[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'randint.low_generator(int low, int high, int[] size, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'randperm.generator(int n, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor' },
  { func: 'bernoulli(Tensor self, *, Generator? generator=None) -> Tensor' },
  { func: 'bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor' },
];
