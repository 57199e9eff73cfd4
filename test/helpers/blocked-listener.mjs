// A listener with backlog 1 (Node treats 0 as "default") that never accepts: its event loop is blocked right after listen,
// so once the accept queue is full (backlog + 1 = 2 connections), further SYNs are dropped and clients stay in SYN_SENT.
import net from 'node:net';

const server = net.createServer();
server.listen({host: '127.0.0.1', port: 0, backlog: 1}, () => {
	process.stdout.write(`${server.address().port}\n`);
	// Blocks the loop for at most 120 s (bounded), so libuv never calls accept().
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
	process.exit(0);
});
