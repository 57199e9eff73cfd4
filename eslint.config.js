// Lint, and the layer map of source/README.md enforced as rules (no exceptions):
// cli.tsx -> run -> collect + model + format + demo -> domain;  cli.tsx -> ui -> model + format -> domain.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {group: ['node:*'], message: 'this layer is pure: no node:* imports.'};
const reactish = {group: ['react', 'react/*', 'ink', 'ink/*'], message: 'only ui/ draws: no React or Ink here.'};
/** A pattern forbidding imports of the given layers, from a file anywhere under source/. */
const layers = (names, message) => ({group: names.flatMap((n) => [`**/${n}/**`, `**/${n}`]), message});
const entry = {group: ['**/cli*'], message: 'nothing imports the entry.'};
/** Processes are started with execa (its kill-after-delay, cleanup on exit, errors that say why); the type may be named. */
const childProcess = {group: ['node:child_process', 'child_process'], allowTypeImports: true, message: 'start processes with execa.'};

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**', 'bench/results*']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {
				process: 'readonly',
				console: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
				setImmediate: 'readonly',
				Buffer: 'readonly',
				URL: 'readonly',
			},
		},
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			// Prettier formats; this holds what it cannot break (long strings), at its own width.
			'max-len': ['error', {code: 160, tabWidth: 2, ignoreUrls: true, ignoreRegExpLiterals: true}],
		},
	},
	{
		files: ['source/domain/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{patterns: [nodeBuiltins, reactish, entry, layers(['collect', 'model', 'format', 'ui', 'run', 'demo'], 'domain/ depends on nothing of ours.')]},
			],
		},
	},
	{
		files: ['source/collect/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{patterns: [childProcess, reactish, entry, layers(['model', 'format', 'ui', 'run', 'demo'], 'collect/ reads the world: it may use domain/ only.')]},
			],
		},
	},
	{
		files: ['source/model/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						nodeBuiltins,
						reactish,
						entry,
						layers(['collect', 'format', 'ui', 'run', 'demo'], 'model/ is pure and receives harvests: it may use domain/ only.'),
					],
				},
			],
		},
	},
	{
		files: ['source/format/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						nodeBuiltins,
						reactish,
						entry,
						layers(['collect', 'model', 'ui', 'run', 'demo'], 'format/ turns snapshots into text: it may use domain/ only.'),
					],
				},
			],
		},
	},
	{
		files: ['source/ui/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{patterns: [childProcess, entry, layers(['collect', 'run', 'demo'], 'ui/ receives state and never fetches: domain/, model/ and format/ only.')]},
			],
		},
	},
	{
		files: ['source/run/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{patterns: [childProcess, reactish, entry, layers(['ui'], 'run/ wires sources to modes; only cli.tsx loads the screen.')]},
			],
		},
	},
	{
		files: ['source/demo/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						childProcess,
						reactish,
						entry,
						layers(['collect', 'model', 'format', 'ui', 'run'], 'demo/ is a Traefik stand-in of its own: domain/ only.'),
					],
				},
			],
		},
	},
);
