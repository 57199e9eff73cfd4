/** Timing helpers: medians over repeated runs, so one noisy run does not decide. */

/** One measured figure. */
export interface Figure {
	readonly id: string;
	readonly label: string;
	readonly medianMs: number;
	readonly minMs: number;
	readonly runs: number;
}

/** Runs `fn` `runs` times after `warmUp` unmeasured runs and reports the median and the fastest. */
export function measure(id: string, label: string, fn: () => unknown, runs = 15, warmUp = 1): Figure {
	for (let i = 0; i < warmUp; i++) fn();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		fn();
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	times.sort((a, b) => a - b);
	return {id, label, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, runs};
}

/** The same for async work. */
export async function measureAsync(id: string, label: string, fn: () => Promise<unknown>, runs = 5): Promise<Figure> {
	await fn();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = process.hrtime.bigint();
		await fn();
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	times.sort((a, b) => a - b);
	return {id, label, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, runs};
}

/** Heap used after a full GC (needs --expose-gc), in MB. */
export function heapMb(): number {
	(globalThis as {gc?: () => void}).gc?.();
	return process.memoryUsage().heapUsed / 1048576;
}
