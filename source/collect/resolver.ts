/** Backend host names resolved to the addresses the kernel shows, with a cache so DNS is not asked every poll. */
import {lookup} from 'node:dns/promises';
import {parseIpLiteral} from '../domain/address.js';
import type {IpAddress} from '../domain/tcp.js';

/** Resolves host names, keeping answers for `ttlMs` so DNS is not asked every poll. */
export class HostResolver {
	private readonly cache = new Map<string, {addresses: IpAddress[]; at: number; error?: string}>();

	constructor(
		private readonly ttlMs = 30_000,
		private readonly lookupAll: (host: string) => Promise<{address: string}[]> = (host) => lookup(host, {all: true}),
	) {}

	/** Addresses of each host (literals map to themselves) and the errors of those that failed. */
	async resolve(hosts: Iterable<string>, now = Date.now()): Promise<{resolved: Record<string, IpAddress[]>; errors: Record<string, string>}> {
		const resolved: Record<string, IpAddress[]> = {};
		const errors: Record<string, string> = {};
		await Promise.all(
			[...new Set(hosts)].map(async (host) => {
				const literal = parseIpLiteral(host);
				if (literal !== undefined) {
					resolved[host] = [literal];
					return;
				}
				let entry = this.cache.get(host);
				if (entry === undefined || now - entry.at > this.ttlMs) {
					try {
						const answers = await this.lookupAll(host);
						const addresses = answers.map((a) => parseIpLiteral(a.address)).filter((a): a is IpAddress => a !== undefined);
						entry = {addresses, at: now};
					} catch (error) {
						const code = (error as NodeJS.ErrnoException).code ?? 'error';
						// Keep the last good addresses: a DNS hiccup must not blank the table.
						entry = {addresses: entry?.addresses ?? [], at: now, error: `cannot resolve ${host} (${code})`};
					}
					this.cache.set(host, entry);
				}
				resolved[host] = entry.addresses;
				if (entry.error) errors[host] = entry.error;
			}),
		);
		return {resolved, errors};
	}
}
