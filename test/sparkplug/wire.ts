// An independent Sparkplug B decoder for the tests, written from the protobuf wire format and the
// field numbers of Sparkplug 3.0's Payload/Metric — it shares no code with src/sparkplug/proto.ts,
// so a field number or type wrong there is caught here rather than agreed with.

export interface WireMetric {
  name?: string;
  timestamp?: number;
  datatype?: number;
  isHistorical?: boolean;
  isNull?: boolean;
  value?: number | boolean | string;
}

export interface WirePayload {
  timestamp?: number;
  seq?: number;
  metrics: WireMetric[];
}

interface Field {
  readonly no: number;
  readonly wire: number;
  readonly int?: bigint;
  readonly bytes?: Uint8Array;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error('truncated varint');
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, int: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      yield { no, wire, bytes: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 1) {
      yield { no, wire, bytes: buf.subarray(i, i + 8) };
      i += 8;
    } else if (wire === 5) {
      yield { no, wire, bytes: buf.subarray(i, i + 4) };
      i += 4;
    } else throw new Error(`wire type ${wire} unexpected`);
  }
}

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const view = (b: Uint8Array | undefined) =>
  new DataView((b ?? new Uint8Array(8)).buffer, (b ?? new Uint8Array(8)).byteOffset, (b ?? new Uint8Array(8)).byteLength);

function metric(buf: Uint8Array): WireMetric {
  const m: WireMetric = {};
  for (const f of fields(buf)) {
    const n = Number(f.int ?? 0n);
    if (f.no === 1) m.name = text(f.bytes);
    else if (f.no === 3) m.timestamp = n;
    else if (f.no === 4) m.datatype = n;
    else if (f.no === 5) m.isHistorical = n !== 0;
    else if (f.no === 7) m.isNull = n !== 0;
    else if (f.no === 10)
      m.value = m.datatype === 3 ? n | 0 : n; // Int32 is two's complement in a uint32
    else if (f.no === 11) m.value = n;
    else if (f.no === 12) m.value = view(f.bytes).getFloat32(0, true);
    else if (f.no === 13) m.value = view(f.bytes).getFloat64(0, true);
    else if (f.no === 14) m.value = n !== 0;
    else if (f.no === 15) m.value = text(f.bytes);
  }
  return m;
}

export function decodeSparkplug(buf: Uint8Array): WirePayload {
  const p: WirePayload = { metrics: [] };
  for (const f of fields(buf)) {
    if (f.no === 1) p.timestamp = Number(f.int);
    else if (f.no === 2 && f.bytes) p.metrics.push(metric(f.bytes));
    else if (f.no === 3) p.seq = Number(f.int);
  }
  return p;
}

function varint(out: number[], v: number): void {
  let x = BigInt(v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
}

/** A metric to write in an NCMD: Boolean (11), String (12) or Int64 (4). */
export interface CommandMetric {
  readonly name: string;
  readonly datatype: 4 | 11 | 12;
  readonly value: number | boolean | string;
}

/** An NCMD payload encoded by hand (as a host application would send it). */
export function ncmdPayload(nowMs: number, metrics: readonly CommandMetric[]): Uint8Array {
  const bytes: number[] = [0x08];
  varint(bytes, nowMs); // timestamp (1)
  for (const c of metrics) {
    const name = [...new TextEncoder().encode(c.name)];
    const m: number[] = [0x0a]; // name (1)
    varint(m, name.length);
    m.push(...name, 0x20, c.datatype); // datatype (4)
    if (typeof c.value === 'boolean') {
      m.push(0x70, c.value ? 1 : 0); // boolean_value (14)
    } else if (typeof c.value === 'number') {
      m.push(0x58); // long_value (11)
      varint(m, c.value);
    } else {
      const text = [...new TextEncoder().encode(c.value)];
      m.push(0x7a); // string_value (15)
      varint(m, text.length);
      m.push(...text);
    }
    bytes.push(0x12); // metrics (2)
    varint(bytes, m.length);
    bytes.push(...m);
  }
  return Uint8Array.from(bytes);
}

/** A Node Control/Rebirth = true NCMD. */
export function rebirthCommand(nowMs: number): Uint8Array {
  return ncmdPayload(nowMs, [{ name: 'Node Control/Rebirth', datatype: 11, value: true }]);
}
