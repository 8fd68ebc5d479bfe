/** The tensor engine's public surface. */
export { Tensor, op, opMany, type Scalar, type Device } from './tensor.js';
export * from './creation.js';
export { Generator, manualSeed } from './random.js';
export { noGrad, enableGrad, isGradEnabled, gradients, type GradientsOptions } from './autograd.js';
export { autocast, resolveAutocast, cpuHasFastBf16, type AutocastDtype, type AutocastOptions } from './autocast.js';
export { setNumThreads, getNumThreads, memoryStats, cpuFeatures, engineInfo, cpuCacheStats, emptyCpuCache, type CpuFeatures, type EngineInfo, type CpuCacheStats } from './engine.js';
export { tidy, keep, disposeAll } from './scope.js';
export { schemaOf } from './dispatch.js';
export * as F from './functional.js';
/** Every operator of the operator table as a typed function (`aten.add$Tensor(a, b)`), as torch.ops.aten. */
export * as aten from './ops/aten.js';
export { type DType, type MemoryFormat, isFloating, ELEMENT_SIZE } from './dtype.js';
export { saveSafetensors, loadSafetensors, type LoadedSafetensors } from './safetensors.js';
