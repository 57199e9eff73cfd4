/** A fixed-size ring of samples; `null` marks a gap (a failed read), never a zero. Pure. */
export class Ring<T> {
	private readonly items: (T | null)[];
	private start = 0;
	private count = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
		this.items = new Array<T | null>(capacity).fill(null);
	}

	/** Appends a sample, dropping the oldest when full. */
	push(value: T | null): void {
		const index = (this.start + this.count) % this.capacity;
		this.items[index] = value;
		if (this.count < this.capacity) this.count++;
		else this.start = (this.start + 1) % this.capacity;
	}

	get length(): number {
		return this.count;
	}

	/** The newest sample, or undefined when empty. */
	last(): T | null | undefined {
		return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
	}

	/** Samples oldest first. */
	toArray(): (T | null)[] {
		const out: (T | null)[] = [];
		for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity]!);
		return out;
	}
}
