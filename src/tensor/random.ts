/** Seedable random generators; their state can be saved and restored for exact resumption. */
import { native, type GeneratorHandle } from './native.js';
import { Tensor } from './tensor.js';

export class Generator {
  readonly handle: GeneratorHandle;

  private constructor(handle: GeneratorHandle) {
    this.handle = handle;
  }

  /** A new generator (libtorch's CPU Mersenne Twister) seeded with `seed`. */
  static seeded(seed: number | bigint): Generator {
    return new Generator(native.newGenerator(BigInt(seed)));
  }

  /** The engine's default generator, used by operators when none is given. */
  static default(): Generator {
    return new Generator(native.defaultGenerator());
  }

  get seed(): bigint {
    return native.generatorSeed(this.handle);
  }

  /** Reseeds the generator in place. */
  manualSeed(seed: number | bigint): this {
    native.generatorSeed(this.handle, BigInt(seed));
    return this;
  }

  /** The full state as a uint8 tensor (dispose it when done). */
  getState(): Tensor {
    return new Tensor(native.generatorGetState(this.handle));
  }

  setState(state: Tensor): void {
    native.generatorSetState(this.handle, state.handle);
  }
}

/** Seeds the default generator, like torch.manual_seed. */
export function manualSeed(seed: number | bigint): void {
  Generator.default().manualSeed(seed);
}
