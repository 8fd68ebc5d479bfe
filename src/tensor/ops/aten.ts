// One typed function per operator-table entry (self first, arguments in schema order).
// Written by scripts/gen-ops.mjs from src/tensor/ops/table.ts: edit the table and run `node scripts/gen-ops.mjs`, not this file.

import type { Tensor, Scalar } from '../tensor.js';
import type { GeneratorHandle } from '../native.js';
import { one, many, named, inPlace } from './call.js';

/** aten::to.dtype_layout(Tensor(a) self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a) */
export function to$dtype_layout(input: Tensor, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null, nonBlocking?: boolean, copy?: boolean, memoryFormat?: number | null): Tensor {
  return one(0, [input, dtype, layout, device, pinMemory, nonBlocking, copy, memoryFormat]);
}
/** aten::contiguous(Tensor(a) self, *, MemoryFormat memory_format=0) -> Tensor(a) */
export function contiguous(input: Tensor, memoryFormat?: number): Tensor {
  return one(1, [input, memoryFormat]);
}
/** aten::clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor */
export function clone(input: Tensor, memoryFormat?: number | null): Tensor {
  return one(2, [input, memoryFormat]);
}
/** aten::detach(Tensor(a) self) -> Tensor(a) */
export function detach(input: Tensor): Tensor {
  return one(3, [input]);
}
/** aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor */
export function add$Tensor(input: Tensor, other: Tensor, alpha?: Scalar): Tensor {
  return one(4, [input, other, alpha]);
}
/** aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor */
export function add$Scalar(input: Tensor, other: Scalar, alpha?: Scalar): Tensor {
  return one(5, [input, other, alpha]);
}
/** aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor */
export function sub$Tensor(input: Tensor, other: Tensor, alpha?: Scalar): Tensor {
  return one(6, [input, other, alpha]);
}
/** aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor */
export function sub$Scalar(input: Tensor, other: Scalar, alpha?: Scalar): Tensor {
  return one(7, [input, other, alpha]);
}
/** aten::mul.Tensor(Tensor self, Tensor other) -> Tensor */
export function mul$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(8, [input, other]);
}
/** aten::mul.Scalar(Tensor self, Scalar other) -> Tensor */
export function mul$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(9, [input, other]);
}
/** aten::div.Tensor(Tensor self, Tensor other) -> Tensor */
export function div$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(10, [input, other]);
}
/** aten::div.Scalar(Tensor self, Scalar other) -> Tensor */
export function div$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(11, [input, other]);
}
/** aten::pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor */
export function pow$Tensor_Tensor(input: Tensor, exponent: Tensor): Tensor {
  return one(12, [input, exponent]);
}
/** aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor */
export function pow$Tensor_Scalar(input: Tensor, exponent: Scalar): Tensor {
  return one(13, [input, exponent]);
}
/** aten::neg(Tensor self) -> Tensor */
export function neg(input: Tensor): Tensor {
  return one(14, [input]);
}
/** aten::exp(Tensor self) -> Tensor */
export function exp(input: Tensor): Tensor {
  return one(15, [input]);
}
/** aten::log(Tensor self) -> Tensor */
export function log(input: Tensor): Tensor {
  return one(16, [input]);
}
/** aten::log1p(Tensor self) -> Tensor */
export function log1p(input: Tensor): Tensor {
  return one(17, [input]);
}
/** aten::sqrt(Tensor self) -> Tensor */
export function sqrt(input: Tensor): Tensor {
  return one(18, [input]);
}
/** aten::rsqrt(Tensor self) -> Tensor */
export function rsqrt(input: Tensor): Tensor {
  return one(19, [input]);
}
/** aten::abs(Tensor self) -> Tensor */
export function abs(input: Tensor): Tensor {
  return one(20, [input]);
}
/** aten::square(Tensor self) -> Tensor */
export function square(input: Tensor): Tensor {
  return one(21, [input]);
}
/** aten::reciprocal(Tensor self) -> Tensor */
export function reciprocal(input: Tensor): Tensor {
  return one(22, [input]);
}
/** aten::sign(Tensor self) -> Tensor */
export function sign(input: Tensor): Tensor {
  return one(23, [input]);
}
/** aten::floor(Tensor self) -> Tensor */
export function floor(input: Tensor): Tensor {
  return one(24, [input]);
}
/** aten::ceil(Tensor self) -> Tensor */
export function ceil(input: Tensor): Tensor {
  return one(25, [input]);
}
/** aten::round(Tensor self) -> Tensor */
export function round(input: Tensor): Tensor {
  return one(26, [input]);
}
/** aten::sin(Tensor self) -> Tensor */
export function sin(input: Tensor): Tensor {
  return one(27, [input]);
}
/** aten::cos(Tensor self) -> Tensor */
export function cos(input: Tensor): Tensor {
  return one(28, [input]);
}
/** aten::relu(Tensor self) -> Tensor */
export function relu(input: Tensor): Tensor {
  return one(29, [input]);
}
/** aten::sigmoid(Tensor self) -> Tensor */
export function sigmoid(input: Tensor): Tensor {
  return one(30, [input]);
}
/** aten::tanh(Tensor self) -> Tensor */
export function tanh(input: Tensor): Tensor {
  return one(31, [input]);
}
/** aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor */
export function clamp(input: Tensor, min?: Scalar | null, max?: Scalar | null): Tensor {
  return one(32, [input, min, max]);
}
/** aten::clamp_min(Tensor self, Scalar min) -> Tensor */
export function clamp_min(input: Tensor, min: Scalar): Tensor {
  return one(33, [input, min]);
}
/** aten::minimum(Tensor self, Tensor other) -> Tensor */
export function minimum(input: Tensor, other: Tensor): Tensor {
  return one(34, [input, other]);
}
/** aten::maximum(Tensor self, Tensor other) -> Tensor */
export function maximum(input: Tensor, other: Tensor): Tensor {
  return one(35, [input, other]);
}
/** aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, beta?: Scalar, alpha?: Scalar): Tensor {
  return one(36, [input, mat1, mat2, beta, alpha]);
}
/** aten::eq.Tensor(Tensor self, Tensor other) -> Tensor */
export function eq$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(37, [input, other]);
}
/** aten::eq.Scalar(Tensor self, Scalar other) -> Tensor */
export function eq$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(38, [input, other]);
}
/** aten::ne.Tensor(Tensor self, Tensor other) -> Tensor */
export function ne$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(39, [input, other]);
}
/** aten::ne.Scalar(Tensor self, Scalar other) -> Tensor */
export function ne$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(40, [input, other]);
}
/** aten::lt.Tensor(Tensor self, Tensor other) -> Tensor */
export function lt$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(41, [input, other]);
}
/** aten::lt.Scalar(Tensor self, Scalar other) -> Tensor */
export function lt$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(42, [input, other]);
}
/** aten::le.Tensor(Tensor self, Tensor other) -> Tensor */
export function le$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(43, [input, other]);
}
/** aten::le.Scalar(Tensor self, Scalar other) -> Tensor */
export function le$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(44, [input, other]);
}
/** aten::gt.Tensor(Tensor self, Tensor other) -> Tensor */
export function gt$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(45, [input, other]);
}
/** aten::gt.Scalar(Tensor self, Scalar other) -> Tensor */
export function gt$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(46, [input, other]);
}
/** aten::ge.Tensor(Tensor self, Tensor other) -> Tensor */
export function ge$Tensor(input: Tensor, other: Tensor): Tensor {
  return one(47, [input, other]);
}
/** aten::ge.Scalar(Tensor self, Scalar other) -> Tensor */
export function ge$Scalar(input: Tensor, other: Scalar): Tensor {
  return one(48, [input, other]);
}
/** aten::logical_not(Tensor self) -> Tensor */
export function logical_not(input: Tensor): Tensor {
  return one(49, [input]);
}
/** aten::logical_and(Tensor self, Tensor other) -> Tensor */
export function logical_and(input: Tensor, other: Tensor): Tensor {
  return one(50, [input, other]);
}
/** aten::logical_or(Tensor self, Tensor other) -> Tensor */
export function logical_or(input: Tensor, other: Tensor): Tensor {
  return one(51, [input, other]);
}
/** aten::isnan(Tensor self) -> Tensor */
export function isnan(input: Tensor): Tensor {
  return one(52, [input]);
}
/** aten::isfinite(Tensor self) -> Tensor */
export function isfinite(input: Tensor): Tensor {
  return one(53, [input]);
}
/** aten::any(Tensor self) -> Tensor */
export function any(input: Tensor): Tensor {
  return one(54, [input]);
}
/** aten::all(Tensor self) -> Tensor */
export function all(input: Tensor): Tensor {
  return one(55, [input]);
}
/** aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor */
export function masked_fill$Scalar(input: Tensor, mask: Tensor, value: Scalar): Tensor {
  return one(56, [input, mask, value]);
}
/** aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor */
export function where$self(condition: Tensor, input: Tensor, other: Tensor): Tensor {
  return one(57, [condition, input, other]);
}
/** aten::where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor */
export function where$ScalarOther(condition: Tensor, input: Tensor, other: Scalar): Tensor {
  return one(58, [condition, input, other]);
}
/** aten::where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor */
export function where$ScalarSelf(condition: Tensor, input: Scalar, other: Tensor): Tensor {
  return one(59, [condition, input, other]);
}
/** aten::where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor */
export function where$Scalar(condition: Tensor, input: Scalar, other: Scalar): Tensor {
  return one(60, [condition, input, other]);
}
/** aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor */
export function sum(input: Tensor, dtype?: number | null): Tensor {
  return one(61, [input, dtype]);
}
/** aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor */
export function sum$dim_IntList(input: Tensor, dim?: number | number[] | null, keepdim?: boolean, dtype?: number | null): Tensor {
  return one(62, [input, dim, keepdim, dtype]);
}
/** aten::mean(Tensor self, *, ScalarType? dtype=None) -> Tensor */
export function mean(input: Tensor, dtype?: number | null): Tensor {
  return one(63, [input, dtype]);
}
/** aten::mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor */
export function mean$dim(input: Tensor, dim?: number | number[] | null, keepdim?: boolean, dtype?: number | null): Tensor {
  return one(64, [input, dim, keepdim, dtype]);
}
/** aten::var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor */
export function var$dim(input: Tensor, dim?: number | number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor {
  return one(65, [input, dim, unbiased, keepdim]);
}
/** aten::std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor */
export function std$dim(input: Tensor, dim?: number | number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor {
  return one(66, [input, dim, unbiased, keepdim]);
}
/** aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor */
export function prod(input: Tensor, dtype?: number | null): Tensor {
  return one(67, [input, dtype]);
}
/** aten::max(Tensor self) -> Tensor */
export function max(input: Tensor): Tensor {
  return one(68, [input]);
}
/** aten::min(Tensor self) -> Tensor */
export function min(input: Tensor): Tensor {
  return one(69, [input]);
}
/** aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices) */
export function max$dim(input: Tensor, dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor } {
  return named(many(70, [input, dim, keepdim]), ['values','indices']) as { values: Tensor; indices: Tensor };
}
/** aten::min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices) */
export function min$dim(input: Tensor, dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor } {
  return named(many(71, [input, dim, keepdim]), ['values','indices']) as { values: Tensor; indices: Tensor };
}
/** aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor */
export function argmax(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor {
  return one(72, [input, dim, keepdim]);
}
/** aten::argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor */
export function argmin(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor {
  return one(73, [input, dim, keepdim]);
}
/** aten::logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor */
export function logsumexp(input: Tensor, dim: number | number[], keepdim?: boolean): Tensor {
  return one(74, [input, dim, keepdim]);
}
/** aten::norm.Scalar(Tensor self, Scalar p=2) -> Tensor */
export function norm$Scalar(input: Tensor, p?: Scalar): Tensor {
  return one(75, [input, p]);
}
/** aten::norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor */
export function norm$ScalarOpt_dim(input: Tensor, p: Scalar | null | undefined, dim: number | number[], keepdim?: boolean): Tensor {
  return one(76, [input, p, dim, keepdim]);
}
/** aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor */
export function cumsum(input: Tensor, dim: number, dtype?: number | null): Tensor {
  return one(77, [input, dim, dtype]);
}
/** aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor */
export function softmax$int(input: Tensor, dim: number, dtype?: number | null): Tensor {
  return one(78, [input, dim, dtype]);
}
/** aten::log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor */
export function log_softmax$int(input: Tensor, dim: number, dtype?: number | null): Tensor {
  return one(79, [input, dim, dtype]);
}
/** aten::topk(Tensor self, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices) */
export function topk(input: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean): { values: Tensor; indices: Tensor } {
  return named(many(80, [input, k, dim, largest, sorted]), ['values','indices']) as { values: Tensor; indices: Tensor };
}
/** aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices) */
export function sort(input: Tensor, dim?: number, descending?: boolean): { values: Tensor; indices: Tensor } {
  return named(many(81, [input, dim, descending]), ['values','indices']) as { values: Tensor; indices: Tensor };
}
/** aten::argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor */
export function argsort(input: Tensor, dim?: number, descending?: boolean): Tensor {
  return one(82, [input, dim, descending]);
}
/** aten::matmul(Tensor self, Tensor other) -> Tensor */
export function matmul(input: Tensor, other: Tensor): Tensor {
  return one(83, [input, other]);
}
/** aten::mm(Tensor self, Tensor mat2) -> Tensor */
export function mm(input: Tensor, mat2: Tensor): Tensor {
  return one(84, [input, mat2]);
}
/** aten::t(Tensor(a) self) -> Tensor(a) */
export function t(input: Tensor): Tensor {
  return one(85, [input]);
}
/** aten::linalg_eigh(Tensor self, str UPLO="L") -> (Tensor eigenvalues, Tensor eigenvectors) */
export function linalg_eigh(input: Tensor, UPLO?: string): { eigenvalues: Tensor; eigenvectors: Tensor } {
  return named(many(86, [input, UPLO]), ['eigenvalues','eigenvectors']) as { eigenvalues: Tensor; eigenvectors: Tensor };
}
/** aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a) */
export function view(input: Tensor, size: number[]): Tensor {
  return one(87, [input, size]);
}
/** aten::reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a) */
export function reshape(input: Tensor, shape: number[]): Tensor {
  return one(88, [input, shape]);
}
/** aten::permute(Tensor(a) self, int[] dims) -> Tensor(a) */
export function permute(input: Tensor, dims: number[]): Tensor {
  return one(89, [input, dims]);
}
/** aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a) */
export function transpose$int(input: Tensor, dim0: number, dim1: number): Tensor {
  return one(90, [input, dim0, dim1]);
}
/** aten::flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a) */
export function flatten$using_ints(input: Tensor, startDim?: number, endDim?: number): Tensor {
  return one(91, [input, startDim, endDim]);
}
/** aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a) */
export function unsqueeze(input: Tensor, dim: number): Tensor {
  return one(92, [input, dim]);
}
/** aten::squeeze(Tensor(a) self) -> Tensor(a) */
export function squeeze(input: Tensor): Tensor {
  return one(93, [input]);
}
/** aten::squeeze.dim(Tensor(a) self, int dim) -> Tensor(a) */
export function squeeze$dim(input: Tensor, dim: number): Tensor {
  return one(94, [input, dim]);
}
/** aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a) */
export function expand(input: Tensor, size: number[], implicit?: boolean): Tensor {
  return one(95, [input, size, implicit]);
}
/** aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a) */
export function expand_as(input: Tensor, other: Tensor): Tensor {
  return one(96, [input, other]);
}
/** aten::repeat(Tensor self, SymInt[] repeats) -> Tensor */
export function repeat(input: Tensor, repeats: number[]): Tensor {
  return one(97, [input, repeats]);
}
/** aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a) */
export function slice$Tensor(input: Tensor, dim?: number, start?: number | null, end?: number | null, step?: number): Tensor {
  return one(98, [input, dim, start, end, step]);
}
/** aten::narrow(Tensor(a) self, int dim, int start, int length) -> Tensor(a) */
export function narrow(input: Tensor, dim: number, start: number, length: number): Tensor {
  return one(99, [input, dim, start, length]);
}
/** aten::select.int(Tensor(a) self, int dim, int index) -> Tensor(a) */
export function select$int(input: Tensor, dim: number, index: number): Tensor {
  return one(100, [input, dim, index]);
}
/** aten::index_select(Tensor self, int dim, Tensor index) -> Tensor */
export function index_select(input: Tensor, dim: number, index: Tensor): Tensor {
  return one(101, [input, dim, index]);
}
/** aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor */
export function index$Tensor(input: Tensor, indices: (Tensor | null)[]): Tensor {
  return one(102, [input, indices]);
}
/** aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor */
export function gather(input: Tensor, dim: number, index: Tensor, sparseGrad?: boolean): Tensor {
  return one(103, [input, dim, index, sparseGrad]);
}
/** aten::scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor */
export function scatter$src(input: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return one(104, [input, dim, index, src]);
}
/** aten::scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor */
export function scatter_add(input: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return one(105, [input, dim, index, src]);
}
/** aten::flip(Tensor self, int[] dims) -> Tensor */
export function flip(input: Tensor, dims: number[]): Tensor {
  return one(106, [input, dims]);
}
/** aten::split.Tensor(Tensor(a -> *) self, int split_size, int dim=0) -> Tensor(a)[] */
export function split$Tensor(input: Tensor, splitSize: number, dim?: number): Tensor[] {
  return many(107, [input, splitSize, dim]);
}
/** aten::split_with_sizes(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[] */
export function split_with_sizes(input: Tensor, splitSizes: number[], dim?: number): Tensor[] {
  return many(108, [input, splitSizes, dim]);
}
/** aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[] */
export function chunk(input: Tensor, chunks: number, dim?: number): Tensor[] {
  return many(109, [input, chunks, dim]);
}
/** aten::diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a) */
export function diagonal(input: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor {
  return one(110, [input, offset, dim1, dim2]);
}
/** aten::one_hot(Tensor self, int num_classes=-1) -> Tensor */
export function one_hot(input: Tensor, numClasses?: number): Tensor {
  return one(111, [input, numClasses]);
}
/** aten::cat(Tensor[] tensors, int dim=0) -> Tensor */
export function cat(tensors: Tensor[], dim?: number): Tensor {
  return one(112, [tensors, dim]);
}
/** aten::stack(Tensor[] tensors, int dim=0) -> Tensor */
export function stack(tensors: Tensor[], dim?: number): Tensor {
  return one(113, [tensors, dim]);
}
/** aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!) */
export function add_$Tensor(input: Tensor, other: Tensor, alpha?: Scalar): Tensor {
  return inPlace(114, [input, other, alpha]);
}
/** aten::add_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!) */
export function add_$Scalar(input: Tensor, other: Scalar, alpha?: Scalar): Tensor {
  return inPlace(115, [input, other, alpha]);
}
/** aten::sub_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!) */
export function sub_$Tensor(input: Tensor, other: Tensor, alpha?: Scalar): Tensor {
  return inPlace(116, [input, other, alpha]);
}
/** aten::sub_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!) */
export function sub_$Scalar(input: Tensor, other: Scalar, alpha?: Scalar): Tensor {
  return inPlace(117, [input, other, alpha]);
}
/** aten::mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!) */
export function mul_$Tensor(input: Tensor, other: Tensor): Tensor {
  return inPlace(118, [input, other]);
}
/** aten::mul_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!) */
export function mul_$Scalar(input: Tensor, other: Scalar): Tensor {
  return inPlace(119, [input, other]);
}
/** aten::div_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!) */
export function div_$Tensor(input: Tensor, other: Tensor): Tensor {
  return inPlace(120, [input, other]);
}
/** aten::div_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!) */
export function div_$Scalar(input: Tensor, other: Scalar): Tensor {
  return inPlace(121, [input, other]);
}
/** aten::addcmul_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!) */
export function addcmul_(input: Tensor, tensor1: Tensor, tensor2: Tensor, value?: Scalar): Tensor {
  return inPlace(122, [input, tensor1, tensor2, value]);
}
/** aten::addcdiv_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!) */
export function addcdiv_(input: Tensor, tensor1: Tensor, tensor2: Tensor, value?: Scalar): Tensor {
  return inPlace(123, [input, tensor1, tensor2, value]);
}
/** aten::copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!) */
export function copy_(input: Tensor, src: Tensor, nonBlocking?: boolean): Tensor {
  return inPlace(124, [input, src, nonBlocking]);
}
/** aten::zero_(Tensor(a!) self) -> Tensor(a!) */
export function zero_(input: Tensor): Tensor {
  return inPlace(125, [input]);
}
/** aten::fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!) */
export function fill_$Scalar(input: Tensor, value: Scalar): Tensor {
  return inPlace(126, [input, value]);
}
/** aten::clamp_(Tensor(a!) self, Scalar? min=None, Scalar? max=None) -> Tensor(a!) */
export function clamp_(input: Tensor, min?: Scalar | null, max?: Scalar | null): Tensor {
  return inPlace(127, [input, min, max]);
}
/** aten::relu_(Tensor(a!) self) -> Tensor(a!) */
export function relu_(input: Tensor): Tensor {
  return inPlace(128, [input]);
}
/** aten::uniform_(Tensor(a!) self, float from=0., float to=1., *, Generator? generator=None) -> Tensor(a!) */
export function uniform_(input: Tensor, from?: number, to?: number, generator?: GeneratorHandle | null): Tensor {
  return inPlace(129, [input, from, to, generator]);
}
/** aten::normal_(Tensor(a!) self, float mean=0., float std=1., *, Generator? generator=None) -> Tensor(a!) */
export function normal_(input: Tensor, mean?: number, std?: number, generator?: GeneratorHandle | null): Tensor {
  return inPlace(130, [input, mean, std, generator]);
}
/** aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] dilation=1, int groups=1) -> Tensor */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, stride?: number[], padding?: number[], dilation?: number[], groups?: number): Tensor {
  return one(131, [input, weight, bias, stride, padding, dilation, groups]);
}
/** aten::batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor */
export function batch_norm(input: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined, runningMean: Tensor | null | undefined, runningVar: Tensor | null | undefined, training: boolean, momentum: number, eps: number, cudnnEnabled: boolean): Tensor {
  return one(132, [input, weight, bias, runningMean, runningVar, training, momentum, eps, cudnnEnabled]);
}
/** aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return one(133, [input, weight, bias]);
}
/** aten::gelu(Tensor self, *, str approximate="none") -> Tensor */
export function gelu(input: Tensor, approximate?: string): Tensor {
  return one(134, [input, approximate]);
}
/** aten::silu(Tensor self) -> Tensor */
export function silu(input: Tensor): Tensor {
  return one(135, [input]);
}
/** aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor */
export function leaky_relu(input: Tensor, negativeSlope?: Scalar): Tensor {
  return one(136, [input, negativeSlope]);
}
/** aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor */
export function softplus(input: Tensor, beta?: Scalar, threshold?: Scalar): Tensor {
  return one(137, [input, beta, threshold]);
}
/** aten::cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100, float label_smoothing=0.) -> Tensor */
export function cross_entropy_loss(input: Tensor, target: Tensor, weight?: Tensor | null, reduction?: number, ignoreIndex?: number, labelSmoothing?: number): Tensor {
  return one(138, [input, target, weight, reduction, ignoreIndex, labelSmoothing]);
}
/** aten::nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) -> Tensor */
export function nll_loss(input: Tensor, target: Tensor, weight?: Tensor | null, reduction?: number, ignoreIndex?: number): Tensor {
  return one(139, [input, target, weight, reduction, ignoreIndex]);
}
/** aten::mse_loss(Tensor self, Tensor target, int reduction=1) -> Tensor */
export function mse_loss(input: Tensor, target: Tensor, reduction?: number): Tensor {
  return one(140, [input, target, reduction]);
}
/** aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor */
export function max_pool2d(input: Tensor, kernelSize: number[], stride?: number[], padding?: number[], dilation?: number[], ceilMode?: boolean): Tensor {
  return one(141, [input, kernelSize, stride, padding, dilation, ceilMode]);
}
/** aten::avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor */
export function avg_pool2d(input: Tensor, kernelSize: number[], stride?: number[], padding?: number[], ceilMode?: boolean, countIncludePad?: boolean, divisorOverride?: number | null): Tensor {
  return one(142, [input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride]);
}
/** aten::adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor */
export function adaptive_avg_pool2d(input: Tensor, outputSize: number[]): Tensor {
  return one(143, [input, outputSize]);
}
/** aten::adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor) */
export function adaptive_max_pool2d(input: Tensor, outputSize: number[]): [Tensor, Tensor] {
  return many(144, [input, outputSize]) as [Tensor, Tensor];
}
/** aten::upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor */
export function upsample_bilinear2d$vec(input: Tensor, outputSize: number[] | null | undefined, alignCorners: boolean, scaleFactors?: number[] | null): Tensor {
  return one(145, [input, outputSize, alignCorners, scaleFactors]);
}
/** aten::upsample_bicubic2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor */
export function upsample_bicubic2d$vec(input: Tensor, outputSize: number[] | null | undefined, alignCorners: boolean, scaleFactors?: number[] | null): Tensor {
  return one(146, [input, outputSize, alignCorners, scaleFactors]);
}
/** aten::upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor */
export function upsample_nearest2d$vec(input: Tensor, outputSize?: number[] | null, scaleFactors?: number[] | null): Tensor {
  return one(147, [input, outputSize, scaleFactors]);
}
/** aten::affine_grid_generator(Tensor theta, int[] size, bool align_corners) -> Tensor */
export function affine_grid_generator(theta: Tensor, size: number[], alignCorners: boolean): Tensor {
  return one(148, [theta, size, alignCorners]);
}
/** aten::grid_sampler(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, bool align_corners) -> Tensor */
export function grid_sampler(input: Tensor, grid: Tensor, interpolationMode: number, paddingMode: number, alignCorners: boolean): Tensor {
  return one(149, [input, grid, interpolationMode, paddingMode, alignCorners]);
}
/** aten::dropout(Tensor input, float p, bool train) -> Tensor */
export function dropout(input: Tensor, p: number, train: boolean): Tensor {
  return one(150, [input, p, train]);
}
/** aten::constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor */
export function constant_pad_nd(input: Tensor, pad: number[], value?: Scalar): Tensor {
  return one(151, [input, pad, value]);
}
/** aten::reflection_pad2d(Tensor self, int[4] padding) -> Tensor */
export function reflection_pad2d(input: Tensor, padding: number[]): Tensor {
  return one(152, [input, padding]);
}
/** aten::cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08) -> Tensor */
export function cosine_similarity(x1: Tensor, x2: Tensor, dim?: number, eps?: number): Tensor {
  return one(153, [x1, x2, dim, eps]);
}
/** aten::zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function zeros(size: number[], dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(154, [size, dtype, layout, device, pinMemory]);
}
/** aten::ones(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function ones(size: number[], dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(155, [size, dtype, layout, device, pinMemory]);
}
/** aten::empty.memory_format(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor */
export function empty$memory_format(size: number[], dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null, memoryFormat?: number | null): Tensor {
  return one(156, [size, dtype, layout, device, pinMemory, memoryFormat]);
}
/** aten::full(SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function full(size: number[], fillValue: Scalar, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(157, [size, fillValue, dtype, layout, device, pinMemory]);
}
/** aten::zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor */
export function zeros_like(input: Tensor, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null, memoryFormat?: number | null): Tensor {
  return one(158, [input, dtype, layout, device, pinMemory, memoryFormat]);
}
/** aten::ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor */
export function ones_like(input: Tensor, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null, memoryFormat?: number | null): Tensor {
  return one(159, [input, dtype, layout, device, pinMemory, memoryFormat]);
}
/** aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function arange$start_step(start: Scalar, end: Scalar, step?: Scalar, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(160, [start, end, step, dtype, layout, device, pinMemory]);
}
/** aten::eye(int n, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function eye(n: number, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(161, [n, dtype, layout, device, pinMemory]);
}
/** aten::linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function linspace(start: Scalar, end: Scalar, steps: number, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(162, [start, end, steps, dtype, layout, device, pinMemory]);
}
/** aten::randn.generator(int[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function randn$generator(size: number[], generator?: GeneratorHandle | null, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(163, [size, generator, dtype, layout, device, pinMemory]);
}
/** aten::rand.generator(int[] size, *, Generator? generator, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function rand$generator(size: number[], generator?: GeneratorHandle | null, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(164, [size, generator, dtype, layout, device, pinMemory]);
}
/** aten::randint.low_generator(int low, int high, int[] size, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function randint$low_generator(low: number, high: number, size: number[], generator?: GeneratorHandle | null, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(165, [low, high, size, generator, dtype, layout, device, pinMemory]);
}
/** aten::randperm.generator(int n, *, Generator? generator, ScalarType? dtype=4, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor */
export function randperm$generator(n: number, generator?: GeneratorHandle | null, dtype?: number | null, layout?: number | null, device?: string | null, pinMemory?: boolean | null): Tensor {
  return one(166, [n, generator, dtype, layout, device, pinMemory]);
}
/** aten::bernoulli(Tensor self, *, Generator? generator=None) -> Tensor */
export function bernoulli(input: Tensor, generator?: GeneratorHandle | null): Tensor {
  return one(167, [input, generator]);
}
/** aten::bernoulli.p(Tensor self, float p, *, Generator? generator=None) -> Tensor */
export function bernoulli$p(input: Tensor, p: number, generator?: GeneratorHandle | null): Tensor {
  return one(168, [input, p, generator]);
}
