// A stand-in for Traefik's outbound side: opens connections to backends in the ways a proxy leaves
// them (held, leaked, half-closed, closed first, stuck connecting), then waits to be killed.
// argv[2]: JSON [{host, port, mode, count}], mode: hold | leak | finwait | close | syn.
import net from 'node:net';

const plan = JSON.parse(process.argv[2]);
const keep = [];
const waits = [];

for (const {host, port, mode, count} of plan) {
	for (let i = 0; i < count; i++) {
		const socket = net.connect({host, port, allowHalfOpen: mode === 'leak'});
		keep.push(socket);
		socket.on('error', () => {});
		if (mode === 'syn') continue; // never answered: stays in SYN_SENT
		waits.push(
			new Promise((resolve) => {
				if (mode === 'hold') socket.once('connect', resolve);
				else if (mode === 'leak')
					socket.once('end', resolve); // peer closed; we never do: CLOSE_WAIT
				else if (mode === 'finwait')
					socket.once('connect', () => socket.end(resolve)); // we close, peer never: FIN_WAIT2
				else if (mode === 'close') {
					socket.once('connect', () => socket.end()); // we close first: TIME_WAIT
					socket.once('close', resolve);
				}
			}),
		);
	}
}

await Promise.all(waits);
process.stdout.write('ready\n');
// Bounded: ends by itself if the test forgets it.
setTimeout(() => process.exit(0), 120_000);
