// The socket side of the simulated kernel host (test/native/sim-host.ts), on a
// worker thread: it speaks fwctl-shim.c's protocol with every shimmed process.
// OPEN/IOCTL/close go to the host's thread as messages; MEM_READ/MEM_WRITE come
// from the host while it is blocked inside a simulated ioctl (Atomics.wait) and
// are answered through the shared buffer, so the simulated kernel can read and
// write the caller's memory synchronously, as copy_from_user/copy_to_user do.
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const MSG = { OPEN: 1, IOCTL: 2, MEM_READ: 3, MEM_WRITE: 4, RESULT: 5, MEM_DATA: 6, MEM_ACK: 7 };
const EIO = 5;

const { socketPath, shared } = workerData;
const header = new Int32Array(shared, 0, 4); // [done flag, status, length, unused]
const data = new Uint8Array(shared, 16);

const connections = new Map();
let nextId = 1;

function frame(type, payload) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

function answer(status, bytes) {
  header[1] = status;
  header[2] = bytes ? bytes.length : 0;
  if (bytes && status === 0) data.set(bytes);
  Atomics.store(header, 0, 1);
  Atomics.notify(header, 0);
}

const server = createServer((socket) => {
  const id = nextId++;
  const conn = { socket, pending: undefined, buffer: Buffer.alloc(0) };
  connections.set(id, conn);
  socket.on('data', (chunk) => {
    conn.buffer = Buffer.concat([conn.buffer, chunk]);
    while (conn.buffer.length >= 8) {
      const type = conn.buffer.readUInt32LE(0);
      const length = conn.buffer.readUInt32LE(4);
      if (conn.buffer.length < 8 + length) break;
      const payload = conn.buffer.subarray(8, 8 + length);
      conn.buffer = conn.buffer.subarray(8 + length);
      if (type === MSG.OPEN) {
        parentPort.postMessage({ kind: 'open', conn: id, flags: payload.readUInt32LE(0), path: payload.subarray(4).toString('utf8') });
      } else if (type === MSG.IOCTL) {
        parentPort.postMessage({ kind: 'ioctl', conn: id, request: Number(payload.readBigUInt64LE(0)), arg: payload.readBigUInt64LE(8) });
      } else if (type === MSG.MEM_DATA && conn.pending === 'read') {
        conn.pending = undefined;
        const status = payload.readInt32LE(0);
        answer(status, status === 0 ? payload.subarray(4) : undefined);
      } else if (type === MSG.MEM_ACK && conn.pending === 'write') {
        conn.pending = undefined;
        answer(payload.readInt32LE(0));
      } else {
        socket.destroy();
      }
    }
  });
  const gone = () => {
    if (!connections.has(id)) return;
    connections.delete(id);
    if (conn.pending) answer(EIO);
    parentPort.postMessage({ kind: 'close', conn: id });
  };
  socket.on('close', gone);
  socket.on('error', gone);
});

parentPort.on('message', (message) => {
  const conn = connections.get(message.conn);
  if (message.kind === 'stop') {
    server.close();
    for (const c of connections.values()) c.socket.destroy();
    parentPort.close();
    return;
  }
  if (!conn) {
    if (message.kind === 'read' || message.kind === 'write') answer(EIO);
    return;
  }
  if (message.kind === 'result') {
    const payload = Buffer.alloc(8);
    payload.writeInt32LE(message.ret, 0);
    payload.writeInt32LE(message.errno, 4);
    conn.socket.write(frame(MSG.RESULT, payload));
  } else if (message.kind === 'read') {
    conn.pending = 'read';
    const payload = Buffer.alloc(12);
    payload.writeBigUInt64LE(message.address, 0);
    payload.writeUInt32LE(message.length, 8);
    conn.socket.write(frame(MSG.MEM_READ, payload));
  } else if (message.kind === 'write') {
    conn.pending = 'write';
    const address = Buffer.alloc(8);
    address.writeBigUInt64LE(message.address, 0);
    conn.socket.write(frame(MSG.MEM_WRITE, Buffer.concat([address, Buffer.from(message.data)])));
  }
});

server.listen(socketPath, () => parentPort.postMessage({ kind: 'listening' }));
