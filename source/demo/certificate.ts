/**
 * A self-signed TLS certificate (ECDSA P-256, X.509 v3 with subject alternative names), written
 * in DER by hand so that the demo needs no openssl: what Traefik loads from `tls.certificates`.
 */
import {generateKeyPairSync, randomBytes, sign} from 'node:crypto';

export interface Certificate {
	/** PEM of the certificate. */
	readonly cert: string;
	/** PEM of the private key (PKCS #8). */
	readonly key: string;
	readonly notAfter: Date;
}

/** DER: one tag-length-value. */
function tlv(tag: number, body: Buffer): Buffer {
	const n = body.length;
	const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
	return Buffer.concat([Buffer.from([tag]), length, body]);
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));

function oid(dotted: string): Buffer {
	const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
	const bytes = [a * 40 + b];
	for (const value of rest) {
		const groups = [value & 0x7f];
		for (let v = value >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
		bytes.push(...groups);
	}
	return tlv(0x06, Buffer.from(bytes));
}

/** RFC 5280: UTCTime until 2049, GeneralizedTime from 2050. */
function time(date: Date): Buffer {
	const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
	return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const name = (commonName: string): Buffer => sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))));

const pem = (label: string, der: Buffer): string =>
	`-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;

/** A certificate for `names` (the first is the subject's CN), valid from an hour ago until `notAfter`. */
export function selfSignedCertificate(names: readonly string[], notAfter: Date, now = new Date()): Certificate {
	const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
	const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
	// A positive serial of 16 random bytes (the first bit cleared).
	const serial = randomBytes(16);
	serial[0] = (serial[0]! & 0x7f) | 0x01;
	const altNames = sequence(...names.map((n) => tlv(0x82, Buffer.from(n))));
	const extensions = tlv(0xa3, sequence(sequence(oid('2.5.29.17'), tlv(0x04, altNames))));
	const tbs = sequence(
		tlv(0xa0, tlv(0x02, Buffer.from([2]))),
		tlv(0x02, serial),
		ecdsaWithSha256,
		name(names[0]!),
		sequence(time(new Date(now.getTime() - 3600_000)), time(notAfter)),
		name(names[0]!),
		publicKey.export({type: 'spki', format: 'der'}),
		extensions,
	);
	const signature = sign('sha256', tbs, privateKey);
	const der = sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
	return {cert: pem('CERTIFICATE', der), key: privateKey.export({type: 'pkcs8', format: 'pem'}).toString(), notAfter};
}
