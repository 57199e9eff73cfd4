import {holdConnections} from './proc.js';
import {ProcFileReader, readSocketInodes} from '../source/collect/proc.js';
import {parseProcNetTcp} from '../source/collect/proc-net-tcp-parse.js';
import {Monitor} from '../source/model/monitor.js';
import {DEFAULT_RULES} from '../source/model/rules-config.js';
const held = await holdConnections(10000);
try {
  const pid = held.clients[0]!.pid!;
  const tcp = `/proc/${pid}/net/tcp`;
  const owned = readSocketInodes('/proc', pid);
  const servers = held.ports.map((port) => ({service: 'held@bench', url: `127.0.0.1:${port}`, host: '127.0.0.1', port, status: 'UP' as const, origin: 'flag' as const}));
  const monitor = new Monitor({rules: DEFAULT_RULES, intervalSeconds: 1, retentionSeconds: 600, host: 'bench', filter: {service: null, entrypoint: null}, flagServers: servers});
  monitor.disableSource('api'); monitor.disableSource('metrics');
  const R = {'127.0.0.1': [0x7f000001]};
  const data = Buffer.from(new ProcFileReader().read(tcp));
  let t = 0; let pt = 0, it = 0;
  for (let i = 0; i < 600; i++) { const a = performance.now(); const table = parseProcNetTcp(data, false, true, owned); const b = performance.now(); monitor.ingest({collectedAt: (t += 1000), proc: {pid: 1, pidSource: 'flag', process: null, sockets: table.sockets, malformed: 0, foreign: 0, ownedInodes: owned, warnings: [], ephemeralPorts: [32768, 60999]}, resolved: R}); const c = performance.now(); if (i >= 100) { pt += b - a; it += c - b; } }
  console.log('parse ms', (pt / 500).toFixed(3), 'ingest ms', (it / 500).toFixed(3));
} finally { await held.stop(); }
