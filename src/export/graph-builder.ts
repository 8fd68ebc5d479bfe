/** Builds an ONNX graph node by node: float32 initializers, nodes with integer attributes, named values. */
import { AttributeType, DataType, type AttributeMessage, type GraphMessage, type NodeMessage, type TensorMessage, type ValueInfoMessage } from './onnx-proto.js';

/** An integer attribute or a list of integers: every attribute this exporter writes is one. */
export type IntAttribute = number | readonly number[];

/** A dimension: a fixed size, or a name for a size chosen at run time (the batch). */
export type Dim = number | string;

function attribute(name: string, value: IntAttribute): AttributeMessage {
  const ints = typeof value === 'number' ? [value] : value;
  for (const v of ints) if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer`);
  return typeof value === 'number' ? { name, type: AttributeType.INT, i: value } : { name, type: AttributeType.INTS, ints: [...value] };
}

// Written element by element through a DataView so the bytes are little-endian, as ONNX requires,
// whatever the machine's byte order.
function littleEndianFloats(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

export function floatValueInfo(name: string, dims: readonly Dim[], doc?: string): ValueInfoMessage {
  return {
    name,
    ...(doc ? { doc_string: doc } : {}),
    type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  };
}

export class GraphBuilder {
  readonly #nodes: NodeMessage[] = [];
  readonly #initializers: TensorMessage[] = [];
  readonly #names = new Set<string>();
  readonly #opCounts = new Map<string, number>();

  #claim(name: string): string {
    if (this.#names.has(name)) throw new Error(`ONNX graph: the value name ${name} is used twice`);
    this.#names.add(name);
    return name;
  }

  /** A float32 initializer (a weight); returns its name. */
  constant(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (values.length !== count) throw new Error(`ONNX initializer ${name}: ${values.length} values for shape [${dims.join(', ')}]`);
    this.#initializers.push({ name: this.#claim(name), dims: [...dims], data_type: DataType.FLOAT, raw_data: littleEndianFloats(values) });
    return name;
  }

  /** A node with one output, named `output` or after the operator (`Conv_3`); returns that name. */
  node(op: string, inputs: readonly string[], attributes: Record<string, IntAttribute> = {}, output?: string): string {
    const k = this.#opCounts.get(op) ?? 0;
    this.#opCounts.set(op, k + 1);
    const nodeName = `${op}_${k}`;
    const out = this.#claim(output ?? nodeName);
    this.#nodes.push({
      name: nodeName,
      op_type: op,
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([n, v]) => attribute(n, v)),
    });
    return out;
  }

  /** Declares a graph input name (so no node or initializer takes it). */
  input(name: string): string {
    return this.#claim(name);
  }

  build(name: string, inputs: ValueInfoMessage[], outputs: ValueInfoMessage[], doc?: string): GraphMessage {
    return { name, node: this.#nodes, initializer: this.#initializers, input: inputs, output: outputs, ...(doc ? { doc_string: doc } : {}) };
  }
}
