/**
 * The /metrics of bench/series.ts's key benchmark, in a process of its own, so that making a
 * 22 MB body never delays the benchmark's own watching of the pane. argv: services. Prints its port.
 */
import http from 'node:http';
import type net from 'node:net';
import {manyServices} from './series.js';

const services = Number(process.argv[2]);
let scrapes = 0;
const server = http.createServer((_req, res) => {
	res.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end(manyServices(0, services, ++scrapes));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as net.AddressInfo).port}\n`));
process.stdin.on('end', () => process.exit(0)).resume();
