// A poll loop run by a test: every snapshot kept, and a bounded wait for the first one that
// something is true of. The caller stops the poller (afterAll, or at the end of the test).
import type {Snapshot} from '../../source/domain/snapshot.js';
import {resolveConfig, type FlagValues} from '../../source/run/config.js';
import {startPolling, type Poller} from '../../source/run/poll.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls with `flags`, the config file's `file` (the API read every second unless it says) and the environment `env`. */
export function watch(flags: FlagValues, file: Record<string, unknown> = {}, env: Record<string, string> = {}): {poller: Poller; snapshots: Snapshot[]} {
	const snapshots: Snapshot[] = [];
	const poller = startPolling(resolveConfig(flags, env, {apiInterval: 1, ...file}, true), (s) => snapshots.push(s));
	return {poller, snapshots};
}

/** The first snapshot from now on that `wanted` accepts, within `polls` polls (and 20 checks a poll); `describe` says what the last one was. */
export async function until(
	snapshots: Snapshot[],
	wanted: (s: Snapshot) => boolean,
	what: string,
	polls = 40,
	describe: (s: Snapshot | undefined) => unknown = (s) => ({
		link: s?.link,
		sources: s?.sources,
		instances: s?.instances?.map((i) => [i.name, i.state, i.error]),
	}),
): Promise<Snapshot> {
	const from = snapshots.length;
	for (let i = 0; i < polls * 20; i++) {
		for (let k = from; k < snapshots.length; k++) if (wanted(snapshots[k]!)) return snapshots[k]!;
		if (snapshots.length - from > polls) break;
		await sleep(50);
	}
	throw new Error(`${what}: not within ${polls} polls; the last: ${JSON.stringify(describe(snapshots.at(-1)))}`);
}
