// The Tensor methods and F functions made from the operator table.
// Written by scripts/gen-ops.mjs from src/tensor/ops/table.ts: edit the table and run `node scripts/gen-ops.mjs`, not this file.

import type { Tensor, Scalar } from '../tensor.js';
import { one, many, named, inPlace, isTensor } from './call.js';

/** The Tensor methods made from the operator table; `Tensor` extends this class. */
export abstract class TensorOps {
  /** aten::detach(Tensor(a) self) -> Tensor(a) */
  detach(this: Tensor): Tensor {
    return one(3, [this]);
  }
  /**
   * aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor
   * aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor
   */
  add(this: Tensor, other: Tensor | Scalar, alpha?: Scalar): Tensor {
    if (isTensor(other)) return one(4, [this, other, alpha]);
    return one(5, [this, other, alpha]);
  }
  /**
   * aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor
   * aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor
   */
  sub(this: Tensor, other: Tensor | Scalar, alpha?: Scalar): Tensor {
    if (isTensor(other)) return one(6, [this, other, alpha]);
    return one(7, [this, other, alpha]);
  }
  /**
   * aten::mul.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::mul.Scalar(Tensor self, Scalar other) -> Tensor
   */
  mul(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(8, [this, other]);
    return one(9, [this, other]);
  }
  /**
   * aten::div.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::div.Scalar(Tensor self, Scalar other) -> Tensor
   */
  div(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(10, [this, other]);
    return one(11, [this, other]);
  }
  /**
   * aten::pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor
   * aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor
   */
  pow(this: Tensor, exponent: Tensor | Scalar): Tensor {
    if (isTensor(exponent)) return one(12, [this, exponent]);
    return one(13, [this, exponent]);
  }
  /** aten::neg(Tensor self) -> Tensor */
  neg(this: Tensor): Tensor {
    return one(14, [this]);
  }
  /** aten::exp(Tensor self) -> Tensor */
  exp(this: Tensor): Tensor {
    return one(15, [this]);
  }
  /** aten::log(Tensor self) -> Tensor */
  log(this: Tensor): Tensor {
    return one(16, [this]);
  }
  /** aten::log1p(Tensor self) -> Tensor */
  log1p(this: Tensor): Tensor {
    return one(17, [this]);
  }
  /** aten::sqrt(Tensor self) -> Tensor */
  sqrt(this: Tensor): Tensor {
    return one(18, [this]);
  }
  /** aten::rsqrt(Tensor self) -> Tensor */
  rsqrt(this: Tensor): Tensor {
    return one(19, [this]);
  }
  /** aten::abs(Tensor self) -> Tensor */
  abs(this: Tensor): Tensor {
    return one(20, [this]);
  }
  /** aten::square(Tensor self) -> Tensor */
  square(this: Tensor): Tensor {
    return one(21, [this]);
  }
  /** aten::reciprocal(Tensor self) -> Tensor */
  reciprocal(this: Tensor): Tensor {
    return one(22, [this]);
  }
  /** aten::sign(Tensor self) -> Tensor */
  sign(this: Tensor): Tensor {
    return one(23, [this]);
  }
  /** aten::floor(Tensor self) -> Tensor */
  floor(this: Tensor): Tensor {
    return one(24, [this]);
  }
  /** aten::ceil(Tensor self) -> Tensor */
  ceil(this: Tensor): Tensor {
    return one(25, [this]);
  }
  /** aten::round(Tensor self) -> Tensor */
  round(this: Tensor): Tensor {
    return one(26, [this]);
  }
  /** aten::sin(Tensor self) -> Tensor */
  sin(this: Tensor): Tensor {
    return one(27, [this]);
  }
  /** aten::cos(Tensor self) -> Tensor */
  cos(this: Tensor): Tensor {
    return one(28, [this]);
  }
  /** aten::relu(Tensor self) -> Tensor */
  relu(this: Tensor): Tensor {
    return one(29, [this]);
  }
  /** aten::sigmoid(Tensor self) -> Tensor */
  sigmoid(this: Tensor): Tensor {
    return one(30, [this]);
  }
  /** aten::tanh(Tensor self) -> Tensor */
  tanh(this: Tensor): Tensor {
    return one(31, [this]);
  }
  /** aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor */
  clamp(this: Tensor, min?: Scalar | null, max?: Scalar | null): Tensor {
    return one(32, [this, min, max]);
  }
  /** aten::clamp_min(Tensor self, Scalar min) -> Tensor */
  clampMin(this: Tensor, min: Scalar): Tensor {
    return one(33, [this, min]);
  }
  /** aten::minimum(Tensor self, Tensor other) -> Tensor */
  minimum(this: Tensor, other: Tensor): Tensor {
    return one(34, [this, other]);
  }
  /** aten::maximum(Tensor self, Tensor other) -> Tensor */
  maximum(this: Tensor, other: Tensor): Tensor {
    return one(35, [this, other]);
  }
  /**
   * aten::eq.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::eq.Scalar(Tensor self, Scalar other) -> Tensor
   */
  eq(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(37, [this, other]);
    return one(38, [this, other]);
  }
  /**
   * aten::ne.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::ne.Scalar(Tensor self, Scalar other) -> Tensor
   */
  ne(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(39, [this, other]);
    return one(40, [this, other]);
  }
  /**
   * aten::lt.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::lt.Scalar(Tensor self, Scalar other) -> Tensor
   */
  lt(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(41, [this, other]);
    return one(42, [this, other]);
  }
  /**
   * aten::le.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::le.Scalar(Tensor self, Scalar other) -> Tensor
   */
  le(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(43, [this, other]);
    return one(44, [this, other]);
  }
  /**
   * aten::gt.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::gt.Scalar(Tensor self, Scalar other) -> Tensor
   */
  gt(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(45, [this, other]);
    return one(46, [this, other]);
  }
  /**
   * aten::ge.Tensor(Tensor self, Tensor other) -> Tensor
   * aten::ge.Scalar(Tensor self, Scalar other) -> Tensor
   */
  ge(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return one(47, [this, other]);
    return one(48, [this, other]);
  }
  /** aten::logical_not(Tensor self) -> Tensor */
  logicalNot(this: Tensor): Tensor {
    return one(49, [this]);
  }
  /** aten::logical_and(Tensor self, Tensor other) -> Tensor */
  logicalAnd(this: Tensor, other: Tensor): Tensor {
    return one(50, [this, other]);
  }
  /** aten::logical_or(Tensor self, Tensor other) -> Tensor */
  logicalOr(this: Tensor, other: Tensor): Tensor {
    return one(51, [this, other]);
  }
  /** aten::isnan(Tensor self) -> Tensor */
  isnan(this: Tensor): Tensor {
    return one(52, [this]);
  }
  /** aten::isfinite(Tensor self) -> Tensor */
  isfinite(this: Tensor): Tensor {
    return one(53, [this]);
  }
  /** aten::any(Tensor self) -> Tensor */
  any(this: Tensor): Tensor {
    return one(54, [this]);
  }
  /** aten::all(Tensor self) -> Tensor */
  all(this: Tensor): Tensor {
    return one(55, [this]);
  }
  /** aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor */
  maskedFill(this: Tensor, mask: Tensor, value: Scalar): Tensor {
    return one(56, [this, mask, value]);
  }
  /**
   * Sample variance (Bessel-corrected unless unbiased=false).
   * aten::var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor
   */
  var(this: Tensor, dim?: number | number[] | null, keepdim?: boolean, unbiased?: boolean): Tensor {
    return one(65, [this, dim, unbiased, keepdim]);
  }
  /** aten::std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor */
  std(this: Tensor, dim?: number | number[] | null, keepdim?: boolean, unbiased?: boolean): Tensor {
    return one(66, [this, dim, unbiased, keepdim]);
  }
  /** aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor */
  prod(this: Tensor): Tensor {
    return one(67, [this]);
  }
  /**
   * The maximum over all elements.
   * aten::max(Tensor self) -> Tensor
   */
  max(this: Tensor): Tensor {
    return one(68, [this]);
  }
  /** aten::min(Tensor self) -> Tensor */
  min(this: Tensor): Tensor {
    return one(69, [this]);
  }
  /**
   * Maximum along a dimension: values and their indices.
   * aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
   */
  maxDim(this: Tensor, dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor } {
    return named(many(70, [this, dim, keepdim]), ['values','indices']) as { values: Tensor; indices: Tensor };
  }
  /**
   * Minimum along a dimension: values and their indices.
   * aten::min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)
   */
  minDim(this: Tensor, dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor } {
    return named(many(71, [this, dim, keepdim]), ['values','indices']) as { values: Tensor; indices: Tensor };
  }
  /** aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor */
  argmax(this: Tensor, dim?: number | null, keepdim?: boolean): Tensor {
    return one(72, [this, dim, keepdim]);
  }
  /** aten::argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor */
  argmin(this: Tensor, dim?: number | null, keepdim?: boolean): Tensor {
    return one(73, [this, dim, keepdim]);
  }
  /** aten::logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor */
  logsumexp(this: Tensor, dim: number | number[], keepdim?: boolean): Tensor {
    return one(74, [this, dim, keepdim]);
  }
  /** aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor */
  cumsum(this: Tensor, dim: number): Tensor {
    return one(77, [this, dim]);
  }
  /** aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor */
  softmax(this: Tensor, dim: number): Tensor {
    return one(78, [this, dim]);
  }
  /** aten::log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor */
  logSoftmax(this: Tensor, dim: number): Tensor {
    return one(79, [this, dim]);
  }
  /** aten::topk(Tensor self, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices) */
  topk(this: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean): { values: Tensor; indices: Tensor } {
    return named(many(80, [this, k, dim, largest, sorted]), ['values','indices']) as { values: Tensor; indices: Tensor };
  }
  /** aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices) */
  sort(this: Tensor, dim?: number, descending?: boolean): { values: Tensor; indices: Tensor } {
    return named(many(81, [this, dim, descending]), ['values','indices']) as { values: Tensor; indices: Tensor };
  }
  /** aten::argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor */
  argsort(this: Tensor, dim?: number, descending?: boolean): Tensor {
    return one(82, [this, dim, descending]);
  }
  /** aten::matmul(Tensor self, Tensor other) -> Tensor */
  matmul(this: Tensor, other: Tensor): Tensor {
    return one(83, [this, other]);
  }
  /** aten::mm(Tensor self, Tensor mat2) -> Tensor */
  mm(this: Tensor, mat2: Tensor): Tensor {
    return one(84, [this, mat2]);
  }
  /** aten::t(Tensor(a) self) -> Tensor(a) */
  t(this: Tensor): Tensor {
    return one(85, [this]);
  }
  /** aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a) */
  view(this: Tensor, ...size: number[]): Tensor {
    return one(87, [this, size]);
  }
  /** aten::reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a) */
  reshape(this: Tensor, ...shape: number[]): Tensor {
    return one(88, [this, shape]);
  }
  /** aten::permute(Tensor(a) self, int[] dims) -> Tensor(a) */
  permute(this: Tensor, ...dims: number[]): Tensor {
    return one(89, [this, dims]);
  }
  /** aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a) */
  transpose(this: Tensor, dim0: number, dim1: number): Tensor {
    return one(90, [this, dim0, dim1]);
  }
  /** aten::flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a) */
  flatten(this: Tensor, startDim?: number, endDim?: number): Tensor {
    return one(91, [this, startDim, endDim]);
  }
  /** aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a) */
  unsqueeze(this: Tensor, dim: number): Tensor {
    return one(92, [this, dim]);
  }
  /** aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a) */
  expand(this: Tensor, ...size: number[]): Tensor {
    return one(95, [this, size]);
  }
  /** aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a) */
  expandAs(this: Tensor, other: Tensor): Tensor {
    return one(96, [this, other]);
  }
  /** aten::repeat(Tensor self, SymInt[] repeats) -> Tensor */
  repeat(this: Tensor, ...repeats: number[]): Tensor {
    return one(97, [this, repeats]);
  }
  /**
   * Elements start..end (exclusive) with a step along one dim, as a view (Python's x[:, a:b:s]).
   * aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)
   */
  slice(this: Tensor, dim?: number, start?: number | null, end?: number | null, step?: number): Tensor {
    return one(98, [this, dim, start, end, step]);
  }
  /** aten::narrow(Tensor(a) self, int dim, int start, int length) -> Tensor(a) */
  narrow(this: Tensor, dim: number, start: number, length: number): Tensor {
    return one(99, [this, dim, start, length]);
  }
  /** aten::select.int(Tensor(a) self, int dim, int index) -> Tensor(a) */
  select(this: Tensor, dim: number, index: number): Tensor {
    return one(100, [this, dim, index]);
  }
  /** aten::index_select(Tensor self, int dim, Tensor index) -> Tensor */
  indexSelect(this: Tensor, dim: number, index: Tensor): Tensor {
    return one(101, [this, dim, index]);
  }
  /**
   * Advanced indexing x[i0, i1, ...] with index tensors (null keeps a dimension whole).
   * aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor
   */
  index(this: Tensor, indices: (Tensor | null)[]): Tensor {
    return one(102, [this, indices]);
  }
  /** aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor */
  gather(this: Tensor, dim: number, index: Tensor): Tensor {
    return one(103, [this, dim, index]);
  }
  /** aten::scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor */
  scatter(this: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
    return one(104, [this, dim, index, src]);
  }
  /**
   * Out-of-place scatter_add: out[i][index[i][j]] += src[i][j] along dim.
   * aten::scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor
   */
  scatterAdd(this: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
    return one(105, [this, dim, index, src]);
  }
  /** aten::flip(Tensor self, int[] dims) -> Tensor */
  flip(this: Tensor, ...dims: number[]): Tensor {
    return one(106, [this, dims]);
  }
  /** aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[] */
  chunk(this: Tensor, chunks: number, dim?: number): Tensor[] {
    return many(109, [this, chunks, dim]);
  }
  /** aten::diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a) */
  diagonal(this: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor {
    return one(110, [this, offset, dim1, dim2]);
  }
  /** aten::one_hot(Tensor self, int num_classes=-1) -> Tensor */
  oneHot(this: Tensor, numClasses?: number): Tensor {
    return one(111, [this, numClasses]);
  }
  /**
   * aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)
   * aten::add_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)
   */
  add_(this: Tensor, other: Tensor | Scalar, alpha?: Scalar): Tensor {
    if (isTensor(other)) return inPlace(114, [this, other, alpha]);
    return inPlace(115, [this, other, alpha]);
  }
  /**
   * aten::sub_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)
   * aten::sub_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)
   */
  sub_(this: Tensor, other: Tensor | Scalar, alpha?: Scalar): Tensor {
    if (isTensor(other)) return inPlace(116, [this, other, alpha]);
    return inPlace(117, [this, other, alpha]);
  }
  /**
   * aten::mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)
   * aten::mul_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)
   */
  mul_(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return inPlace(118, [this, other]);
    return inPlace(119, [this, other]);
  }
  /**
   * aten::div_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)
   * aten::div_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)
   */
  div_(this: Tensor, other: Tensor | Scalar): Tensor {
    if (isTensor(other)) return inPlace(120, [this, other]);
    return inPlace(121, [this, other]);
  }
  /**
   * this += value * tensor1 * tensor2
   * aten::addcmul_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!)
   */
  addcmul_(this: Tensor, tensor1: Tensor, tensor2: Tensor, value?: Scalar): Tensor {
    return inPlace(122, [this, tensor1, tensor2, value]);
  }
  /**
   * this += value * tensor1 / tensor2
   * aten::addcdiv_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!)
   */
  addcdiv_(this: Tensor, tensor1: Tensor, tensor2: Tensor, value?: Scalar): Tensor {
    return inPlace(123, [this, tensor1, tensor2, value]);
  }
  /** aten::copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!) */
  copy_(this: Tensor, src: Tensor): Tensor {
    return inPlace(124, [this, src]);
  }
  /** aten::zero_(Tensor(a!) self) -> Tensor(a!) */
  zero_(this: Tensor): Tensor {
    return inPlace(125, [this]);
  }
  /** aten::fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!) */
  fill_(this: Tensor, value: Scalar): Tensor {
    return inPlace(126, [this, value]);
  }
  /** aten::clamp_(Tensor(a!) self, Scalar? min=None, Scalar? max=None) -> Tensor(a!) */
  clamp_(this: Tensor, min?: Scalar | null, max?: Scalar | null): Tensor {
    return inPlace(127, [this, min, max]);
  }
  /** aten::relu_(Tensor(a!) self) -> Tensor(a!) */
  relu_(this: Tensor): Tensor {
    return inPlace(128, [this]);
  }
}

/** aten::relu(Tensor self) -> Tensor */
export function relu(input: Tensor): Tensor {
  return one(29, [input]);
}
/**
 * Elements of input where condition is true, else of other.
 * aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor
 * aten::where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor
 * aten::where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor
 * aten::where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor
 */
export function where(condition: Tensor, input: Tensor | Scalar, other: Tensor | Scalar): Tensor {
  if (isTensor(input) && isTensor(other)) return one(57, [condition, input, other]);
  if (isTensor(input) && !isTensor(other)) return one(58, [condition, input, other]);
  if (!isTensor(input) && isTensor(other)) return one(59, [condition, input, other]);
  return one(60, [condition, input, other]);
}
/** aten::cat(Tensor[] tensors, int dim=0) -> Tensor */
export function cat(tensors: Tensor[], dim?: number): Tensor {
  return one(112, [tensors, dim]);
}
/** aten::stack(Tensor[] tensors, int dim=0) -> Tensor */
export function stack(tensors: Tensor[], dim?: number): Tensor {
  return one(113, [tensors, dim]);
}
/**
 * y = x W^T + b
 * aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return one(133, [input, weight, bias]);
}
/** aten::gelu(Tensor self, *, str approximate="none") -> Tensor */
export function gelu(input: Tensor, approximate?: 'none' | 'tanh'): Tensor {
  return one(134, [input, approximate]);
}
/** aten::silu(Tensor self) -> Tensor */
export function silu(input: Tensor): Tensor {
  return one(135, [input]);
}
/** aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor */
export function leakyRelu(input: Tensor, negativeSlope?: Scalar): Tensor {
  return one(136, [input, negativeSlope]);
}
/** aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor */
export function softplus(input: Tensor, beta?: Scalar, threshold?: Scalar): Tensor {
  return one(137, [input, beta, threshold]);
}
/**
 * Sampling grids [N, H, W, 2] from affine matrices theta [N, 2, 3] (F.affine_grid).
 * aten::affine_grid_generator(Tensor theta, int[] size, bool align_corners) -> Tensor
 */
export function affineGrid(theta: Tensor, size: [number, number, number, number], alignCorners: boolean = false): Tensor {
  return one(148, [theta, size, alignCorners]);
}
/** aten::dropout(Tensor input, float p, bool train) -> Tensor */
export function dropout(input: Tensor, p: number, train: boolean): Tensor {
  return one(150, [input, p, train]);
}
/**
 * Constant padding; `pad` lists (left, right, top, bottom, ...) from the last dimension backwards.
 * aten::constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor
 */
export function pad(input: Tensor, pad: number[], value?: Scalar): Tensor {
  return one(151, [input, pad, value]);
}
/** aten::reflection_pad2d(Tensor self, int[4] padding) -> Tensor */
export function reflectionPad2d(input: Tensor, padding: [number, number, number, number]): Tensor {
  return one(152, [input, padding]);
}
/**
 * Cosine similarity along dim.
 * aten::cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08) -> Tensor
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim?: number, eps?: number): Tensor {
  return one(153, [x1, x2, dim, eps]);
}
