// Lint, and the dependency direction of ARCHITECTURE.md enforced as rules:
// cli.tsx -> ui -> model + format -> collect/types.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {group: ['node:*'], message: 'model/ and format/ are pure: no node:* imports.'};
const reactish = {group: ['react', 'react/*', 'ink', 'ink/*'], message: 'model/ and format/ are pure: no React or Ink.'};

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results*']},
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
				Buffer: 'readonly',
				URL: 'readonly',
			},
		},
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
		},
	},
	{
		files: ['source/model/**', 'source/format/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						nodeBuiltins,
						reactish,
						{group: ['**/ui/**', '**/ui', '**/demo/**', '**/cli*'], message: 'model/ and format/ must not depend on ui, demo or the entry.'},
						{
							group: ['**/collect/*', '!**/collect/types*', '!**/collect/*-parse*'],
							message: 'model/ and format/ may use collect/ types and pure parsers only, not readers.',
						},
					],
				},
			],
		},
	},
	{
		files: ['source/collect/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{patterns: [reactish, {group: ['**/ui/**', '**/ui', '**/model/**', '**/format/**', '**/demo/**'], message: 'collect/ is the bottom layer.'}]},
			],
		},
	},
	{
		files: ['source/ui/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{group: ['**/collect/*', '!**/collect/types*'], message: 'ui/ receives state and never fetches: only collect/types.'},
						{group: ['**/demo/**'], message: 'ui/ must not depend on the demo.'},
					],
				},
			],
		},
	},
);
