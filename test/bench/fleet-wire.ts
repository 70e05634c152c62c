// Wire accounting for the fleet figures: a TCP relay on 127.0.0.1 that counts the bytes and chunks
// between an edge node and the broker, and the Modbus TCP frame sizes of polling the status block.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Relay {
  readonly port: number;
  /** TCP payload bytes both ways, and data chunks (≈ segments at these rates) both ways. */
  readonly counts: { bytes: number; chunks: number };
  close(): Promise<void>;
}

export async function startRelay(brokerPort: number): Promise<Relay> {
  const counts = { bytes: 0, chunks: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(brokerPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (d: Buffer) => {
        counts.bytes += d.length;
        counts.chunks++;
        to.write(d);
      });
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    counts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** IPv4 (20) + TCP (20) + the timestamp option Linux sends by default (12). */
export const TCP_IP_HEADER_BYTES = 52;

/**
 * The TCP/IP cost of `segments` data segments, each with its headers and, as an upper bound, a pure
 * ACK of its own (delayed ACKs piggyback some; the same rule is applied to both sides of the comparison).
 */
export const withTcpIp = (payloadBytes: number, segments: number) => payloadBytes + segments * 2 * TCP_IP_HEADER_BYTES;

/** Registers in the SCADA status block (spec/scada.md: addresses 0–99, one read). */
export const STATUS_BLOCK_REGISTERS = 100;

/** One FC 4 read of the status block: request MBAP 7 + PDU 5; response MBAP 7 + FC 1 + count 1 + 2 per register. */
export function modbusPollBytes(registers = STATUS_BLOCK_REGISTERS): { request: number; response: number } {
  return { request: 7 + 5, response: 7 + 2 + 2 * registers };
}
