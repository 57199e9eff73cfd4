/** The kernel's TCP tables of one network namespace, tcp and tcp6 together. */
import {endianness} from 'node:os';
import {join} from 'node:path';
import type {InodeLookup, QuietConnections, TcpSocket} from '../domain/tcp.js';
import {describeFsError, ProcFileReader} from './proc-files.js';
import {parseProcNetTcp} from './proc-net-tcp-parse.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Reads and parses tcp and tcp6 of a network namespace directory (`<proc>/<pid>/net` or `<proc>/net`). */
export function readTcpTables(
	netDir: string,
	owned: InodeLookup | null = null,
	reader = new ProcFileReader(),
): {sockets: TcpSocket[]; quiet: QuietConnections; malformed: number; foreign: number; warnings: string[]} {
	const sockets: TcpSocket[] = [];
	// Both tables add to the same columns (tcp6 has the IPv4-mapped connections of dual-stack listeners).
	const quiet: QuietConnections = {remoteIp: [], remotePort: [], localPort: []};
	let malformed = 0;
	let foreign = 0;
	const warnings: string[] = [];
	let read = 0;
	for (const [file, ipv6] of [
		['tcp', false],
		['tcp6', true],
	] as const) {
		let data: Buffer;
		try {
			data = reader.read(join(netDir, file));
		} catch (error) {
			warnings.push(`${join(netDir, file)}: ${describeFsError(error)}`);
			continue;
		}
		read++;
		const table = parseProcNetTcp(data, ipv6, LITTLE_ENDIAN, owned, quiet);
		for (const s of table.sockets) sockets.push(s);
		malformed += table.malformed;
		foreign += table.foreign;
	}
	if (read === 0) throw new Error(warnings.join('; '));
	return {sockets, quiet, malformed, foreign, warnings};
}
