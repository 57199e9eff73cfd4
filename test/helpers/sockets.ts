import {parseIpLiteral} from '../../source/domain/address.js';
import type {TcpSocket, TcpState} from '../../source/domain/tcp.js';

/** A socket for model tests: `sock('10.0.0.9:41000', '10.0.0.3:80', 'ESTABLISHED', {inode: 7})`. */
export function sock(local: string, remote: string, state: TcpState, extra: Partial<TcpSocket> = {}): TcpSocket {
	const split = (text: string) => {
		const i = text.lastIndexOf(':');
		return {ip: parseIpLiteral(text.slice(0, i))!, port: Number(text.slice(i + 1))};
	};
	const l = split(local);
	const r = split(remote);
	return {
		localIp: l.ip,
		localPort: l.port,
		remoteIp: r.ip,
		remotePort: r.port,
		state,
		txQueue: 0,
		rxQueue: 0,
		timer: 0,
		retransmits: 0,
		uid: 0,
		inode: state === 'TIME_WAIT' ? 0 : 1,
		...extra,
	};
}
