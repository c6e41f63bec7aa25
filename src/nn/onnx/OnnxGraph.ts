/**
 * Build an ONNX model (ModelProto) in code, without the onnx npm packages.
 *
 * Only the parts of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that a
 * float32 training graph needs: nodes with int/float/ints/floats/tensor attributes, float32 and
 * int64 initializers (raw little-endian data), and graph inputs/outputs whose dims are numbers or
 * symbolic names. Field numbers are quoted beside each write.
 *
 *   const g = new OnnxGraph();
 *   const x = g.input('x', 'float', ['B', 4]);
 *   g.output(g.op('Relu', [x]), 'y', 'float', ['B', 4]);
 *   const bytes = g.toModel(); // opset 17
 */
import { ProtoWriter } from './protobuf.js';

export type ElemType = 'float' | 'int64' | 'bool';
export type Dim = number | string;
export type AttrValue = number | number[] | { ints: number[] } | { floats: number[] } | { float: number } | string;

const ELEM_CODE: Record<ElemType, number> = { float: 1, int64: 7, bool: 9 };
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

/** ONNX IR version 8 goes with opset 17 (onnx/docs/Versioning.md). */
const IR_VERSION = 8;
export const OPSET = 17;

export class OnnxGraph {
  private readonly nodes: { op: string; inputs: string[]; outputs: string[]; attrs: Record<string, AttrValue>; name: string }[] = [];
  private readonly inits: ProtoWriter[] = [];
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private counter = 0;
  /** Node outputs renamed to graph-output names (applied when serialising, so later uses follow). */
  private readonly aliases = new Map<string, string>();
  private readonly scalarCache = new Map<string, string>();

  /** A fresh value name. */
  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /**
   * Declare `value` as a graph output called `name`. A value computed by a node is renamed (no
   * Identity copy); a graph input or initializer gets an Identity.
   */
  output(value: string, name: string, type: ElemType, dims: Dim[]): string {
    if (value !== name) {
      const renamed = this.aliases.get(value);
      if (renamed === undefined && this.nodes.some((n) => n.outputs.includes(value))) this.aliases.set(value, name);
      else this.node('Identity', [renamed ?? value], [name]);
    }
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** A float32 initializer. */
  constF(data: ArrayLike<number>, dims: number[], hint = 'c'): string {
    const name = this.fresh(hint);
    const f = data instanceof Float32Array ? data : Float32Array.from(data);
    const t = new ProtoWriter(f.byteLength + 64);
    for (const d of dims) t.int(1, d); // dims
    t.int(2, ELEM_CODE.float); // data_type
    t.string(8, name); // name
    t.bytes(9, new Uint8Array(f.buffer, f.byteOffset, f.byteLength)); // raw_data (little-endian)
    this.inits.push(t);
    return name;
  }

  /** An int64 initializer (shapes, axes, slice bounds). */
  constI64(data: number[], dims: number[] = [data.length], hint = 'i'): string {
    const name = this.fresh(hint);
    const t = new ProtoWriter(data.length * 8 + 64);
    for (const d of dims) t.int(1, d);
    t.int(2, ELEM_CODE.int64);
    t.string(8, name);
    const raw = new BigInt64Array(data.map((v) => BigInt(v)));
    t.bytes(9, new Uint8Array(raw.buffer));
    this.inits.push(t);
    return name;
  }

  /** A float32 scalar constant (shape []), shared between uses. */
  scalar(v: number): string {
    const key = String(Math.fround(v));
    let name = this.scalarCache.get(key);
    if (!name) {
      name = this.constF([v], [], 's');
      this.scalarCache.set(key, name);
    }
    return name;
  }

  /** Add a node with explicit output names. */
  node(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): string[] {
    this.nodes.push({ op, inputs, outputs: outputs.slice(), attrs, name: this.fresh(op) });
    return outputs;
  }

  /** Add a single-output node and return its output's name. */
  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, hint = op.toLowerCase()): string {
    return this.node(op, inputs, [this.fresh(hint)], attrs)[0]!;
  }

  /** Serialise as a ModelProto. */
  toModel(graphName = 'graph'): Uint8Array {
    const g = new ProtoWriter(1 << 16);
    for (const nd of this.nodes) {
      const n = new ProtoWriter(64);
      for (const i of nd.inputs) n.string(1, this.aliases.get(i) ?? i); // input
      for (const o of nd.outputs) n.string(2, this.aliases.get(o) ?? o); // output
      n.string(3, nd.name); // name
      n.string(4, nd.op); // op_type
      for (const [key, val] of Object.entries(nd.attrs)) n.message(5, attribute(key, val)); // attribute
      g.message(1, n); // node
    }
    g.string(2, graphName); // name
    for (const t of this.inits) g.message(5, t); // initializer
    for (const v of this.inputs) g.message(11, v); // input
    for (const v of this.outputs) g.message(12, v); // output
    const opset = new ProtoWriter(16).string(1, '').int(2, OPSET); // domain, version
    const m = new ProtoWriter(1 << 16);
    m.int(1, IR_VERSION); // ir_version
    m.string(2, 'privsynth'); // producer_name
    m.message(7, g); // graph
    m.message(8, opset); // opset_import
    return m.finish().slice();
  }
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter(32);
  for (const d of dims) {
    const dim = new ProtoWriter(16);
    if (typeof d === 'number') dim.int(1, d); // dim_value
    else dim.string(2, d); // dim_param
    shape.message(1, dim); // TensorShapeProto.dim
  }
  const tensor = new ProtoWriter(32).int(1, ELEM_CODE[type]).message(2, shape); // elem_type, shape
  const tp = new ProtoWriter(48).message(1, tensor); // TypeProto.tensor_type
  return new ProtoWriter(64).string(1, name).message(2, tp); // ValueInfoProto name, type
}

function attribute(name: string, v: AttrValue): ProtoWriter {
  const a = new ProtoWriter(32).string(1, name); // name
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TypeError(`attribute ${name}: use { float: x } for float attributes`);
    a.int(3, v).int(20, ATTR_INT); // i, type
  } else if (typeof v === 'string') {
    a.string(4, v).int(20, ATTR_STRING); // s
  } else if (Array.isArray(v)) {
    a.packedInts(8, v).int(20, ATTR_INTS); // ints
  } else if ('ints' in v) {
    a.packedInts(8, v.ints).int(20, ATTR_INTS);
  } else if ('floats' in v) {
    a.packedFloats(7, v.floats).int(20, ATTR_FLOATS); // floats
  } else {
    a.float(2, v.float).int(20, ATTR_FLOAT); // f
  }
  return a;
}
