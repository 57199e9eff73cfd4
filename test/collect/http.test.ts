// The scraper's HTTP client: a kept-alive connection the server dropped while we were away (a
// suspend) is tried once more on a fresh one before the source is called failed.
import net from 'node:net';
import {describe, expect, it} from 'vitest';
import {httpGet} from '../../source/collect/http.js';

/** Answers the first request of each connection; a second request on the same one gets a reset, as a server that forgot it. */
async function forgetfulServer(): Promise<{url: string; connections: () => number; close: () => void}> {
	let connections = 0;
	const server = net.createServer((socket) => {
		connections++;
		let served = false;
		socket.on('data', () => {
			if (served) {
				socket.resetAndDestroy();
				return;
			}
			served = true;
			socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
		});
		socket.on('error', () => {});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/metrics`, connections: () => connections, close: () => server.close()};
}

describe('httpGet', () => {
	it('retries once on a new connection when a reused one is reset', async () => {
		const server = await forgetfulServer();
		try {
			const options = {timeoutMs: 2000, maxBytes: 1000};
			expect((await httpGet(server.url, options)).text).toBe('ok');
			expect((await httpGet(server.url, options)).text).toBe('ok');
			expect(server.connections()).toBe(2);
		} finally {
			server.close();
		}
	});
});
