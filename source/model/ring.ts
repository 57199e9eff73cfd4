/**
 * A bounded ring of samples; `null` marks a gap (a failed read), never a zero. It grows as samples
 * come, up to its capacity, so a series that lives a minute costs a minute of samples. Pure.
 */
export class Ring<T> {
	private readonly items: (T | null)[] = [];
	private start = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
	}

	/** Appends a sample, dropping the oldest when full. */
	push(value: T | null): void {
		if (this.items.length < this.capacity) {
			this.items.push(value);
			return;
		}
		this.items[this.start] = value;
		this.start = (this.start + 1) % this.capacity;
	}

	get length(): number {
		return this.items.length;
	}

	/** The newest sample, or undefined when empty. */
	last(): T | null | undefined {
		const n = this.items.length;
		return n === 0 ? undefined : this.items[(this.start + n - 1) % n];
	}

	/** Samples oldest first. */
	toArray(): (T | null)[] {
		const n = this.items.length;
		if (this.start === 0) return this.items.slice();
		const out: (T | null)[] = new Array(n);
		for (let i = 0; i < n; i++) out[i] = this.items[(this.start + i) % n]!;
		return out;
	}
}
