// Holds many real loopback connections open for the /proc benchmarks.
// server PORTS_COUNT: listens on that many ports, prints them as JSON, accepts and keeps everything.
// client COUNT PORTS_JSON: opens COUNT connections spread over the ports, prints "ready".
// Both end by themselves after 10 minutes (bounded) or when killed.
import net from 'node:net';

const [role, a, b] = process.argv.slice(2);
const keep = [];
setTimeout(() => process.exit(0), 600_000).unref();
setInterval(() => {}, 60_000);
// Reset rather than close: no TIME_WAIT is left behind to swell the next measurement's table.
process.on('SIGTERM', () => {
	for (const s of keep) s.resetAndDestroy?.();
	setTimeout(() => process.exit(0), 200);
});

if (role === 'server') {
	const ports = [];
	for (let i = 0; i < Number(a); i++) {
		const server = net.createServer((s) => {
			s.on('error', () => {});
			keep.push(s);
		});
		await new Promise((resolve) => server.listen({host: '127.0.0.1', port: 0, backlog: 4096}, resolve));
		ports.push(server.address().port);
	}
	process.stdout.write(`${JSON.stringify(ports)}\n`);
} else {
	const count = Number(a);
	const ports = JSON.parse(b);
	let open = 0;
	// A few hundred at a time: a burst of 10k SYNs would overflow the accept queue.
	for (let i = 0; i < count; i += 200) {
		await Promise.all(
			Array.from(
				{length: Math.min(200, count - i)},
				(_, j) =>
					new Promise((resolve) => {
						const s = net.connect({host: '127.0.0.1', port: ports[(i + j) % ports.length]});
						s.on('connect', () => {
							open++;
							resolve();
						});
						s.on('error', resolve);
						keep.push(s);
					}),
			),
		);
	}
	process.stdout.write(`ready ${open}\n`);
}
