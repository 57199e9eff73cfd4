// Server URLs as Traefik accepts them: where each connects, or why it cannot be watched.
import {describe, expect, it} from 'vitest';
import {parseServerUrl, stripUserinfo} from '../../source/domain/server-url.js';

describe('parseServerUrl', () => {
	it.each([
		['http://10.0.0.1:8080', {host: '10.0.0.1', port: 8080}],
		['http://10.0.0.1', {host: '10.0.0.1', port: 80}],
		['https://web', {host: 'web', port: 443}],
		['h2c://10.0.0.1', {host: '10.0.0.1', port: 80}],
		['h2c://grpc:50051', {host: 'grpc', port: 50051}],
		['http://[fe80::1%25eth0]:80', {host: 'fe80::1', port: 80}],
		['http://[2001:db8::1]', {host: '2001:db8::1', port: 80}],
		['HTTP://User:Pw@WEB.Example:81/path', {host: 'web.example', port: 81}],
	])('%s connects to %o', (url, target) => {
		expect(parseServerUrl(url)).toEqual(target);
	});

	it.each([
		['unix:///var/run/app.sock', 'unix:// is not a TCP address'],
		['http://10.0.0.1:0', 'port 0 is not between 1 and 65535'],
		['http://10.0.0.1:99999', 'port 99999 is not between 1 and 65535'],
		['http://10.0.0.1:http', 'port http is not between 1 and 65535'],
		['http://::1:80', 'an IPv6 address must be in brackets'],
		['10.0.0.1:80', 'not a URL with a scheme and a host'],
	])('%s cannot be watched: %s', (url, error) => {
		expect(parseServerUrl(url)).toEqual({error});
	});

	it('strips user:password and nothing else', () => {
		expect(stripUserinfo('http://admin:s3cr3t@10.0.0.1:80/x?y=1')).toBe('http://10.0.0.1:80/x?y=1');
		expect(stripUserinfo('http://10.0.0.1:80/a@b')).toBe('http://10.0.0.1:80/a@b');
	});
});
