/** The kernel view of a remote host, one framed answer of its reader a poll (remote-reader.ts) over its SSH link (ssh.ts). */
import type {ProcHarvest, Section} from '../domain/harvest.js';
import type {QueryPorts} from './netlink-policy.js';
import {parseAnswer, pollLine, remoteHarvest} from './remote-reader.js';
import type {SshLink} from './ssh.js';

export interface RemoteProcOptions {
	/** --pid, on the remote. */
	readonly pid?: number;
	/** Several Traefik processes there: the one listening on this port. */
	readonly listenPort?: number;
	readonly timeoutMs: number;
	readonly sudo: boolean;
}

export class RemoteProcReader {
	constructor(
		private readonly link: SshLink,
		private readonly options: RemoteProcOptions,
	) {}

	/** One poll; `ports` are the entry points and backend ports the remote keeps rows of when it cannot tell Traefik's sockets by inode. */
	async read(ports: QueryPorts | null): Promise<Section<ProcHarvest>> {
		const hello = this.link.remote;
		const host = this.link.link.host;
		if (!this.link.connected || hello === null) return {error: this.link.downText()};
		if (!hello.linux)
			return {
				error: `${host} has no /proc (${hello.system || 'not Linux'}): the kernel view needs a Linux host; metrics and the API are read through the tunnel`,
			};
		const {pid, listenPort, timeoutMs, sudo} = this.options;
		const answer = await this.link.request(
			(seq) =>
				pollLine(seq, {
					...(pid === undefined ? {} : {pid}),
					...(listenPort === undefined ? {} : {listenPort}),
					localPorts: ports?.entryPoints ?? [],
					backendPorts: ports?.backends ?? [],
				}),
			timeoutMs,
		);
		if ('error' in answer) return answer;
		const parsed = parseAnswer(answer.lines);
		if ('error' in parsed) return {error: `${host}: ${parsed.error}`};
		const harvest = remoteHarvest(parsed, hello, host, sudo);
		if ('error' in harvest) return harvest;
		const refused = this.link.link.sudo?.startsWith('refused') ? [`sudo -n on ${host}: ${this.link.link.sudo}; read as uid ${hello.uid ?? '?'}`] : [];
		return {...harvest, host, warnings: [...harvest.warnings, ...refused]};
	}
}
