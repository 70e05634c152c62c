// The Sparkplug B payload codec: protobufjs over a JSON descriptor of the Payload/Metric messages of
// the Sparkplug 3.0 specification (§6.4, and sparkplug_b.proto of Eclipse Tahu which it references).
// Only the scalar value kinds are described: a DataSet, Template or extension in a received NCMD is
// skipped as an unknown field, which protobuf allows.
import protobuf from 'protobufjs';

/** Sparkplug 3.0 §6.4.16 Data Types (the numbers are the wire values of Metric.datatype). */
export const DataType = { Int32: 3, Int64: 4, UInt32: 7, Double: 10, Boolean: 11, String: 12 } as const;
export type DataTypeName = keyof typeof DataType;

const descriptor = {
  nested: {
    org: {
      nested: {
        eclipse: {
          nested: {
            tahu: {
              nested: {
                protobuf: {
                  nested: {
                    Payload: {
                      fields: {
                        timestamp: { type: 'uint64', id: 1 },
                        metrics: { rule: 'repeated', type: 'Metric', id: 2 },
                        seq: { type: 'uint64', id: 3 },
                        uuid: { type: 'string', id: 4 },
                        body: { type: 'bytes', id: 5 },
                      },
                      nested: {
                        Metric: {
                          oneofs: {
                            value: {
                              oneof: ['intValue', 'longValue', 'floatValue', 'doubleValue', 'booleanValue', 'stringValue', 'bytesValue'],
                            },
                          },
                          fields: {
                            name: { type: 'string', id: 1 },
                            alias: { type: 'uint64', id: 2 },
                            timestamp: { type: 'uint64', id: 3 },
                            datatype: { type: 'uint32', id: 4 },
                            isHistorical: { type: 'bool', id: 5 },
                            isTransient: { type: 'bool', id: 6 },
                            isNull: { type: 'bool', id: 7 },
                            intValue: { type: 'uint32', id: 10 },
                            longValue: { type: 'uint64', id: 11 },
                            floatValue: { type: 'float', id: 12 },
                            doubleValue: { type: 'double', id: 13 },
                            booleanValue: { type: 'bool', id: 14 },
                            stringValue: { type: 'string', id: 15 },
                            bytesValue: { type: 'bytes', id: 16 },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const PayloadType = protobuf.Root.fromJSON(descriptor).lookupType('org.eclipse.tahu.protobuf.Payload');

/** One metric as twinfeed sends it: a scalar value, or null (`is_null`). */
export interface SpMetric {
  readonly name: string;
  readonly datatype: DataTypeName;
  readonly value: number | boolean | string | null;
  readonly timestampMs?: number;
  readonly historical?: boolean;
}

export interface SpPayload {
  readonly timestampMs: number;
  readonly seq?: number;
  readonly metrics: readonly SpMetric[];
}

function metricMessage(m: SpMetric): Record<string, unknown> {
  const out: Record<string, unknown> = { name: m.name, datatype: DataType[m.datatype] };
  if (m.timestampMs !== undefined) out.timestamp = m.timestampMs;
  if (m.historical) out.isHistorical = true;
  if (m.value === null) out.isNull = true;
  else if (m.datatype === 'Boolean') out.booleanValue = m.value;
  else if (m.datatype === 'String') out.stringValue = m.value;
  else if (m.datatype === 'Double') out.doubleValue = m.value;
  else if (m.datatype === 'Int64') out.longValue = m.value;
  // Int32 rides in the uint32 field as two's complement (§6.4.16).
  else if (m.datatype === 'Int32') out.intValue = Number(m.value) >>> 0;
  else out.intValue = m.value;
  return out;
}

export function encodePayload(p: SpPayload): Uint8Array {
  const msg: Record<string, unknown> = { timestamp: p.timestampMs, metrics: p.metrics.map(metricMessage) };
  if (p.seq !== undefined) msg.seq = p.seq;
  return PayloadType.encode(PayloadType.fromObject(msg)).finish();
}

interface DecodedMetric {
  name?: string;
  datatype?: number;
  isNull?: boolean;
  booleanValue?: boolean;
  stringValue?: string;
  doubleValue?: number;
  longValue?: number;
  intValue?: number;
}

/** A received payload's metrics, by name, with their value (commands come this way: NCMD). */
export function decodeMetrics(bytes: Uint8Array): { name: string; value: number | boolean | string | null }[] {
  const obj = PayloadType.toObject(PayloadType.decode(bytes), { longs: Number }) as { metrics?: DecodedMetric[] };
  return (obj.metrics ?? []).map((m) => ({
    name: m.name ?? '',
    value: m.isNull ? null : (m.booleanValue ?? m.stringValue ?? m.doubleValue ?? m.longValue ?? m.intValue ?? null),
  }));
}
