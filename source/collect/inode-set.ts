/**
 * The socket inodes a process holds, for the question every row of the TCP table asks: "is this
 * one Traefik's?". An open-addressing table of 32-bit keys answers it without hashing a heap
 * number (sockfs inodes come from get_next_ino(), an unsigned int); anything wider goes to a Set.
 */
export class InodeSet {
	private keys: Uint32Array;
	private mask: number;
	private shift: number;
	private wide: Set<number> | null = null;
	private count = 0;

	constructor(expected = 64) {
		let capacity = 16;
		while (capacity < expected * 2) capacity *= 2;
		this.keys = new Uint32Array(capacity);
		this.mask = capacity - 1;
		this.shift = 32 - Math.log2(capacity);
	}

	get size(): number {
		return this.count;
	}

	private slot(key: number): number {
		// Fibonacci hashing: the top bits of key * 2^32/phi.
		return Math.imul(key, 0x9e3779b1) >>> this.shift;
	}

	add(key: number): this {
		if (!(key > 0 && key <= 0xffffffff && Number.isInteger(key))) {
			if (key === 0 || !Number.isInteger(key)) return this;
			this.wide ??= new Set();
			if (!this.wide.has(key)) {
				this.wide.add(key);
				this.count++;
			}
			return this;
		}
		if ((this.count + 1) * 2 > this.keys.length) this.grow();
		let i = this.slot(key);
		for (;;) {
			const k = this.keys[i]!;
			if (k === key) return this;
			if (k === 0) break;
			i = (i + 1) & this.mask;
		}
		this.keys[i] = key;
		this.count++;
		return this;
	}

	has(key: number): boolean {
		if (key > 0 && key <= 0xffffffff) {
			let i = this.slot(key);
			for (;;) {
				const k = this.keys[i]!;
				if (k === key) return true;
				if (k === 0) return false;
				i = (i + 1) & this.mask;
			}
		}
		return this.wide !== null && this.wide.has(key);
	}

	*[Symbol.iterator](): IterableIterator<number> {
		for (const k of this.keys) if (k !== 0) yield k;
		if (this.wide) yield* this.wide;
	}

	private grow(): void {
		const old = this.keys;
		this.keys = new Uint32Array(old.length * 2);
		this.mask = this.keys.length - 1;
		this.shift--;
		const wide = this.wide;
		this.count = wide?.size ?? 0;
		for (const k of old) if (k !== 0) this.add(k);
	}
}
