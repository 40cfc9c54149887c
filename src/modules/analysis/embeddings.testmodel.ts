/**
 * For tests only: writes a tiny ONNX model at test time, so no binary is committed. The model looks up each
 * token id's row in a small fixed matrix (Gather) and adds a token-type row (all zeros), giving
 * last_hidden_state [batch, seq, dim] whose mean-pooled vectors can be worked out by hand.
 *
 * The protobuf is written by a minimal encoder for the few onnx.proto messages needed (ModelProto,
 * GraphProto, NodeProto, TensorProto, ValueInfoProto and their small helpers); field numbers are from
 * onnx/onnx.proto (IR version 8, opset 13).
 */

/** A protobuf message under construction: fields are appended in order. */
class Message {
  private readonly parts: Uint8Array[] = [];

  private varint(value: bigint): void {
    const bytes: number[] = [];
    let v = BigInt.asUintN(64, value);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.parts.push(Uint8Array.from(bytes));
  }

  private key(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(BigInt(value.length));
    this.parts.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Message): this {
    return this.bytes(field, value.encode());
  }

  encode(): Uint8Array {
    const total = this.parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto for a tensor; string dims are symbolic (dim_param), numbers fixed (dim_value). */
function valueInfo(name: string, elemType: number, dims: (string | number)[]): Message {
  const shape = new Message();
  for (const d of dims) {
    shape.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  }
  const tensorType = new Message().int(1, elemType).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/** TensorProto with float data as raw little-endian bytes. */
function floatTensor(name: string, dims: number[], values: readonly number[]): Message {
  const tensor = new Message();
  for (const d of dims) tensor.int(1, d);
  tensor.int(2, FLOAT);
  tensor.string(8, name);
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return tensor.bytes(9, raw);
}

function node(opType: string, inputs: string[], outputs: string[], name: string): Message {
  const n = new Message();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  return n.string(3, name).string(4, opType);
}

export type TestModelOptions = {
  /** Row i is the vector of token id i. */
  embeddings: readonly (readonly number[])[];
  /** Names of the id inputs (default input_ids, attention_mask, token_type_ids), to build broken models. */
  inputNames?: readonly string[];
  /** Output name (default last_hidden_state). */
  outputName?: string;
};

/**
 * ONNX bytes for: last_hidden_state = Gather(E, input_ids) + Gather(T, token_type_ids), with T zeros;
 * attention_mask is declared as an input and passed through an Identity so the runtime keeps it.
 */
export function buildGatherModel(options: TestModelOptions): Uint8Array {
  const rows = options.embeddings.length;
  const dim = (options.embeddings[0] as readonly number[]).length;
  const [ids = 'input_ids', mask = 'attention_mask', types = 'token_type_ids'] = options.inputNames ?? [];
  const output = options.outputName ?? 'last_hidden_state';
  const graph = new Message()
    .message(1, node('Gather', ['E', ids], ['word'], 'word_lookup'))
    .message(1, node('Gather', ['T', types], ['type'], 'type_lookup'))
    .message(1, node('Add', ['word', 'type'], [output], 'sum'))
    .message(1, node('Identity', [mask], ['mask_out'], 'mask_pass'))
    .string(2, 'covenant-test-embedder')
    .message(5, floatTensor('E', [rows, dim], options.embeddings.flat()))
    .message(5, floatTensor('T', [2, dim], new Array<number>(2 * dim).fill(0)))
    .message(11, valueInfo(ids, INT64, ['batch', 'seq']))
    .message(11, valueInfo(mask, INT64, ['batch', 'seq']))
    .message(11, valueInfo(types, INT64, ['batch', 'seq']))
    .message(12, valueInfo(output, FLOAT, ['batch', 'seq', dim]))
    .message(12, valueInfo('mask_out', INT64, ['batch', 'seq']));
  return new Message()
    .int(1, 8) // ir_version
    .string(2, 'covenant-hub-tests') // producer_name
    .message(7, graph)
    .message(8, new Message().string(1, '').int(2, 13)) // opset_import: default domain, opset 13
    .encode();
}
