/** The non-interactive modes: --once, --json, --snapshot, --check. */
import {mkdir} from 'node:fs/promises';
import {dirname} from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type {AppConfig} from './config.js';
import {checkResult} from '../format/check.js';
import {renderReport} from '../format/report.js';
import type {Snapshot} from '../domain/snapshot.js';
import {startPolling} from './poll.js';
import {pastSnapshot} from './past.js';

/** Polls until `done` says enough; resolves with the last snapshot. */
function pollUntil(config: AppConfig, done: (snapshot: Snapshot, polls: number) => boolean, each?: (snapshot: Snapshot) => void): Promise<Snapshot> {
	return new Promise((resolve, reject) => {
		let polls = 0;
		const poller = startPolling(
			config,
			(snapshot) => {
				polls++;
				each?.(snapshot);
				if (done(snapshot, polls)) {
					poller.stop();
					resolve(snapshot);
				}
			},
			(error) => {
				poller.stop();
				reject(error);
			},
		);
	});
}

/**
 * Enough looks for a report: rates and ages need two polls; a Traefik that has just started
 * shows its request families only after its first request, so wait (at most 5 polls) for them.
 */
const enough = (s: Snapshot, polls: number): boolean =>
	polls >= 5 || (polls >= 2 && (!s.sources.metrics.ok || s.services.every((r) => r.requestsPerSecond !== null)));

/** --once: the plain-text report once there are rates. Returns the exit code. */
export async function runOnce(config: AppConfig, out: NodeJS.WritableStream): Promise<number> {
	const snapshot = config.at === undefined ? await pollUntil(config, enough) : await pastSnapshot(config, config.at);
	out.write(renderReport(snapshot, Math.max(80, process.stdout.columns ?? 120), config.ascii));
	return 0;
}

/** --json: one snapshot per line per interval; --count N stops after N. */
export async function runJson(config: AppConfig, out: NodeJS.WritableStream): Promise<number> {
	if (config.at !== undefined) {
		out.write(`${JSON.stringify(await pastSnapshot(config, config.at))}\n`);
		return 0;
	}
	await pollUntil(
		config,
		(_s, polls) => config.count !== undefined && polls >= config.count,
		(snapshot) => out.write(`${JSON.stringify(snapshot)}\n`),
	);
	return 0;
}

/** --snapshot FILE: collect for --duration, then write one snapshot atomically. */
export async function runSnapshot(config: AppConfig, file: string): Promise<number> {
	const started = Date.now();
	const snapshot = await pollUntil(config, (_s, polls) => polls >= 2 && Date.now() - started >= (config.durationSeconds ?? 10) * 1000);
	await writeSnapshot(file, snapshot);
	process.stderr.write(`snapshot written to ${file}\n`);
	return 0;
}

/** Writes a snapshot through a temporary file and a rename: a failure leaves the old file intact. */
export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
	// A directory named with --export-dir that does not exist yet is made (as mkdir -p would).
	await mkdir(dirname(file), {recursive: true});
	await writeFileAtomic(file, `${JSON.stringify(snapshot, null, 2)}\n`, {mode: 0o600});
}

/** The request stream as shown, one JSON object a line (NDJSON), written as a snapshot is. */
export async function writeRequests(file: string, requests: readonly object[]): Promise<void> {
	await mkdir(dirname(file), {recursive: true});
	await writeFileAtomic(file, requests.map((r) => `${JSON.stringify(r)}\n`).join(''), {mode: 0o600});
}

/** --check: Nagios-style exit code and one summary line; with --duration, judged after collecting that long. */
export async function runCheck(config: AppConfig, out: NodeJS.WritableStream): Promise<number> {
	const started = Date.now();
	const long = config.durationSeconds === null ? 0 : config.durationSeconds * 1000;
	const snapshot = await pollUntil(config, (s, polls) => enough(s, polls) && Date.now() - started >= long);
	const {code, line} = checkResult(snapshot);
	out.write(`${line}\n`);
	return code;
}
