// The real socket for the NUT client: a node:net TCP connection, reported as the client's events.
import { createConnection } from 'node:net';
import type { NutConnect } from './client.js';

export const netConnect: NutConnect = (host, port, events) => {
  const socket = createConnection({ host, port });
  socket.setEncoding('utf8');
  socket.setNoDelay(true);
  let reason = 'connection closed by the server';
  socket.on('connect', () => events.onConnect());
  socket.on('data', (chunk: string) => events.onData(chunk));
  socket.on('error', (err) => void (reason = err.message));
  socket.on('close', () => events.onClose(reason));
  return {
    write: (text) => void socket.write(text),
    destroy: () => void socket.destroy(),
  };
};
