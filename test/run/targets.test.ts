// --target and the config file's targets, parsed and refused in words.
import {describe, expect, it} from 'vitest';
import {resolveConfig} from '../../source/run/config.js';
import {parseTargetFlag, resolveTargets} from '../../source/run/targets.js';

describe('targets', () => {
	it('reads NAME=URL with its settings; a loopback API finds its process by the port it listens on', () => {
		expect(parseTargetFlag('edge-a=http://127.0.0.1:8080/api/,metrics=http://127.0.0.1:8082/metrics,header=X-Env: prod')).toEqual({
			name: 'edge-a',
			apiUrl: 'http://127.0.0.1:8080',
			metricsUrl: 'http://127.0.0.1:8082/metrics',
			headers: {'X-Env': 'prod'},
			listenPort: 8080,
		});
		expect(parseTargetFlag('b=http://10.0.0.5:8080,pid=4242')).toEqual({
			name: 'b',
			apiUrl: 'http://10.0.0.5:8080',
			metricsUrl: 'http://10.0.0.5:8080/metrics',
			pid: 4242,
		});
	});

	it('refuses what it cannot use, in words, and credentials on the command line', () => {
		expect(() => parseTargetFlag('a=http://x:8080,password=secret')).toThrow(/"password=secret" is not a setting.*credentials go in the config file/);
		expect(() => resolveTargets(['a=http://x:1', 'a=http://y:1'], undefined)).toThrow(/two targets are named "a"/);
		expect(() => resolveTargets(['http://x:1', 'b=http://y:1'], undefined)).toThrow(/each needs a name/);
		expect(() => resolveTargets(undefined, [{name: 'a', url: 'http://x:1', pasword: 'x'}])).toThrow(/targets\[0\]: unknown setting "pasword"/);
	});

	it('reads an SSH target: its URLs and port are the remote host’s; what is read on this side is refused', () => {
		expect(parseTargetFlag('edge=http://127.0.0.1:8080,ssh=admin@edge-1:2222')).toEqual({
			name: 'edge',
			apiUrl: 'http://127.0.0.1:8080',
			metricsUrl: 'http://127.0.0.1:8080/metrics',
			ssh: {destination: 'admin@edge-1', port: 2222},
			listenPort: 8080,
		});
		expect(parseTargetFlag('v6=http://127.0.0.1:8080,ssh=[2001:db8::5]:22').ssh).toEqual({destination: '2001:db8::5', port: 22});
		expect(() => parseTargetFlag('e=http://127.0.0.1:8080,ssh=-oProxyCommand=x')).toThrow(/ssh= "-oProxyCommand=x": give \[user@\]host\[:port\]/);
		expect(() => parseTargetFlag('e=http://127.0.0.1:8080,ssh=edge-1,pidfile=/run/t.pid')).toThrow(/a PID file is not read over ssh/);
		expect(() => resolveTargets(undefined, [{name: 'a', url: 'http://127.0.0.1:8080', ssh: 'edge-1', accessLog: '/var/log/t.log'}])).toThrow(
			/an access log is read on this host only, not over ssh/,
		);
		const plain = resolveConfig({ssh: 'root@edge-1', sshOption: ['IdentityFile=/k', 'ConnectTimeout 3'], sshSudo: true}, {}, {}, true);
		expect(plain).toMatchObject({ssh: {destination: 'root@edge-1'}, sshOptions: ['IdentityFile=/k', 'ConnectTimeout=3'], sshSudo: true, targets: []});
		expect(() => resolveConfig({ssh: 'edge-1', sshOption: ['ProxyCommand=nc x 22']}, {}, {}, true)).toThrow(/--ssh-option ProxyCommand: not taken/);
		expect(() => resolveConfig({ssh: 'edge-1', sshOption: ['-v']}, {}, {}, true)).toThrow(/--ssh-option wants Key=Value/);
		expect(() => resolveConfig({ssh: 'edge 1'}, {}, {}, true)).toThrow(/--ssh "edge 1": give \[user@\]host\[:port\]/);
	});

	it('takes the config file list, credentials included; the flags replace it', () => {
		const file = [{name: 'a', url: 'https://a.example:8443', basicAuth: 'admin:pw'}];
		expect(resolveTargets(undefined, file)).toEqual([
			{name: 'a', apiUrl: 'https://a.example:8443', metricsUrl: 'https://a.example:8443/metrics', basicAuth: 'admin:pw'},
		]);
		expect(resolveTargets(['b=http://b:1'], file).map((t) => t.name)).toEqual(['b']);
	});

	it('one target without a name is the plain run, exactly', () => {
		const plain = resolveConfig({metricsUrl: 'http://10.0.0.5:8080/metrics', apiUrl: 'http://10.0.0.5:8080'}, {}, {}, true);
		const single = resolveConfig({target: ['http://10.0.0.5:8080']}, {}, {}, true);
		expect(single).toEqual(plain);
		expect(single.targets).toEqual([]);
	});
});

describe('a target on another host', () => {
	it('has no kernel view of this host: /proc is not read and no TCP rule judges its backends', async () => {
		const {createPipeline} = await import('../../source/run/poll.js');
		// Parsed only (no request leaves loopback): a remote URL gives no process to look for.
		expect(parseTargetFlag('far=http://10.255.0.1:8080').listenPort).toBeUndefined();
		const config = resolveConfig({target: ['a=http://127.0.0.1:1', 'b=http://127.0.0.1:2']}, {}, {}, true);
		// The same target as a remote one is, on a loopback port that refuses.
		const far = {name: 'far', apiUrl: 'http://127.0.0.1:1', metricsUrl: 'http://127.0.0.1:1/metrics'};
		const {collector, monitor} = createPipeline({...config, targets: [], timeoutMs: 200}, far);
		const harvest = await collector.collect();
		expect(harvest.proc).toEqual({error: 'no kernel view: this Traefik is on another host'});
		monitor.ingest({...harvest, collectedAt: 1_000_000});
		const snapshot = monitor.snapshot();
		expect(snapshot.sources.proc).toMatchObject({ok: false, error: 'not configured'});
		expect(snapshot.alerts.filter((a) => a.rule !== 'source_failed')).toEqual([]);
		expect(config.targets[0]!.listenPort).toBe(1);
	});
});
