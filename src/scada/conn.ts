// One Modbus TCP connection on a socket, for the in-process server and the reader processes alike:
// reads land in one shared buffer and go straight to serveChunk (Node's `onread`, without the stream
// machinery, which cost about half of a request's JavaScript instructions), answers go out with one write
// per batch, and reading stops while the peer does not read its answers or a frame is held.
import { Socket } from 'node:net';
import type { AnswerFrame } from './mbap.js';
import { serveChunk, type ServeResult, type Session } from './session.js';

const EMPTY = Buffer.alloc(0);

/** What the server shares between its connections. */
export interface ConnShared {
  /** Reads land here; each is consumed before the next (what is kept is copied). */
  readonly readBuffer: Buffer;
  /** Answers are built here and copied out synchronously. */
  readonly scratch: Buffer;
  /** A clock that is cheap to read (updated by the server's sweep and on accept). */
  readonly nowMs: () => number;
}

export interface ConnOptions {
  readonly session: Session;
  readonly answer: AnswerFrame;
  /** The connection is being closed because of what the client sent. */
  onBadInput(reason: 'malformed' | 'overflow'): void;
  /** A fault in our own code while answering: the connection is closed, everything else goes on. */
  onFault(err: unknown): void;
}

export interface Conn {
  readonly socket: Socket;
  /** Sends the answer of the frame the AnswerFrame HELD, then goes on with the frames behind it. */
  release(answer: Buffer): void;
}

/** The socket's libuv handle, where Node exposes it (`_handle`: long-standing, but not public API). */
interface StreamHandle {
  readStart(): number;
  useUserBuffer(buf: Uint8Array): void;
}

function handleOf(s: Socket): StreamHandle | undefined {
  const h = (s as unknown as { _handle?: unknown })._handle;
  const ok =
    typeof h === 'object' && h !== null && typeof (h as StreamHandle).readStart === 'function' && typeof (h as StreamHandle).useUserBuffer === 'function';
  return ok ? (h as StreamHandle) : undefined;
}

/**
 * Takes over a socket accepted by a server created with `pauseOnConnect: true` (nothing read yet)
 * and reads it into `buffer`, calling `onRead(buffer, n)` synchronously for each read; returning
 * false stops reading until `socket.resume()`. The accepted socket's handle moves to a new Socket
 * constructed with Node's documented `onread` option. Where the handle is not reachable (another
 * runtime), it falls back to 'data' events with the same contract.
 */
export function adopt(accepted: Socket, buffer: Buffer, onRead: (buf: Buffer, n: number) => boolean): Socket {
  const handle = handleOf(accepted);
  if (!handle) {
    accepted.on('data', (chunk: Buffer) => {
      if (!onRead(chunk, chunk.length)) accepted.pause();
    });
    accepted.resume();
    return accepted;
  }
  (accepted as unknown as { _handle: unknown })._handle = null;
  accepted.destroy(); // closes nothing: it no longer has a handle (only the server's count drops)
  const opts = { handle, onread: { buffer, callback: (n: number, buf: Uint8Array) => onRead(buf as Buffer, n) } };
  return new Socket(opts as ConstructorParameters<typeof Socket>[0]);
}

/** Serves one accepted connection until it closes. */
export function serveConnection(accepted: Socket, shared: ConnShared, o: ConnOptions): Conn {
  // SCADA masters poll the same request over and over: keep the last answer buffer and refill it
  // when the previous write went straight to the kernel (writableLength 0: the stream holds no
  // reference to it). Saves an allocation per request on the hot path.
  let reusable: Buffer | undefined;
  let stopped: 'paused' | 'held' | undefined;
  const emit = (out: Buffer, length: number): boolean => {
    const buf = reusable !== undefined && reusable.length === length ? reusable : Buffer.allocUnsafe(length);
    out.copy(buf, 0, 0, length);
    const flowing = socket.write(buf);
    reusable = socket.writableLength === 0 ? buf : undefined;
    return flowing;
  };
  /** Serves buf[0..n); true to read on. */
  const serve = (buf: Buffer, n: number): boolean => {
    if (socket.destroyed) return false;
    let r: ServeResult;
    try {
      r = serveChunk(o.session, buf, shared.nowMs(), o.answer, shared.scratch, emit, n);
    } catch (err) {
      o.onFault(err);
      socket.destroy();
      return false;
    }
    if (r === 'ok') return true;
    if (r === 'paused' || r === 'held') {
      stopped = r;
      return false;
    }
    o.onBadInput(r);
    socket.destroy();
    return false;
  };
  /** Goes on after a pause or a held frame: the pending frames first, then reading. */
  const goOn = (): void => {
    stopped = undefined;
    if (serve(EMPTY, 0)) socket.resume();
  };
  const socket = adopt(accepted, shared.readBuffer, serve);
  socket.on('drain', () => {
    if (stopped === 'paused') goOn();
  });
  return {
    socket,
    release(answer: Buffer): void {
      if (socket.destroyed || stopped !== 'held') return;
      if (socket.write(answer)) goOn();
      else stopped = 'paused';
    },
  };
}
