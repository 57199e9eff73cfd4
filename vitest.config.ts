import {defineConfig} from 'vitest/config';

// The end-to-end fault test counts polls from a fault to its alert; it runs after the rest, alone
// on the machine, so that other test files' CPU does not stretch its polls.
const TIMED = 'test/demo/faults.test.ts';

export default defineConfig({
	test: {
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		globalSetup: ['test/global-setup.ts'],
		projects: [
			{extends: true, test: {name: 'main', include: ['test/**/*.test.{ts,tsx}'], exclude: [TIMED]}},
			{extends: true, test: {name: 'timed', include: [TIMED], sequence: {groupOrder: 1}}},
		],
	},
});
