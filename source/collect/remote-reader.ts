/**
 * The kernel view of a Traefik on another host, read by a small POSIX sh script that needs only
 * sh, cat and awk there (busybox is enough). The script is sent over the SSH connection's stdin,
 * run from memory (nothing is written to the remote disk), and then answers one framed reply per
 * poll line. awk filters the TCP tables on the remote: only the rows of Traefik's sockets (or,
 * when its /proc/<pid>/fdinfo cannot be read, of its ports) travel.
 */
import {parseProcessStat} from './process.js';
import {InodeSet} from './inode-set.js';
import type {ProcHarvest, Section} from '../domain/harvest.js';
import type {QuietConnections, TcpSocket} from '../domain/tcp.js';
import {parseProcNetTcp} from './proc-net-tcp-parse.js';

/** The line that ends the script on stdin; the remote shell then runs what it read. */
export const RUN_LINE = '@@run';

/**
 * The script. `$1` is the proc root (/proc). Commands, one a line on stdin:
 *   poll SEQ PID|- LISTENPORT|- LOCALPORTS|- BACKENDPORTS|-   (ports comma-separated)
 *   ping SEQ   (an empty answer: one round trip through the connection and the shell)
 *   quit
 * Every answer is framed by `@@begin SEQ` and `@@end SEQ`; `@@hello` comes first, once.
 */
// Written raw (awk's regexes keep their backslashes); "\${" stands for the shell's "${", which a template literal would take.
export const READER_SCRIPT = String.raw`P=\${1:-/proc}
# ls -l reads the fd links in one process, faster than cat of every fdinfo file; cat alone does it where there is no ls.
lsl=
command -v ls >/dev/null 2>&1 && lsl=1
pid=
src=none
hexval='function hexval(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", toupper(substr(s, i, 1))) - 1; return v }
function portof(a,  n, p) { n = split(a, p, ":"); return hexval(p[n]) }'
hello() {
  if [ ! -r "$P/stat" ] || [ ! -d "$P/self" ]; then
    echo "@@hello noproc $(uname -sr 2>/dev/null)"
    return
  fi
  set -- "$P/stat"
  for f in "$P/sys/net/ipv4/ip_local_port_range" "$P/sys/kernel/hostname" "$P/self/status"; do [ -r "$f" ] && set -- "$@" "$f"; done
  awk 'FILENAME ~ /\/stat$/ && $1 == "btime" { b = $2 }
    FILENAME ~ /port_range$/ { r = $1 " " $2 }
    FILENAME ~ /hostname$/ { h = $1 }
    FILENAME ~ /status$/ && $1 == "Uid:" { u = $2 }
    END { print "@@hello linux " (b != "" ? b : "-") " " (r != "" ? r : "- -") " " (u != "" ? u : "-") " " h }' "$@"
}
tables() {
  t=
  for f in "$1/tcp" "$1/tcp6"; do [ -r "$f" ] && t="$t $f"; done
  echo "$t"
}
listens() {
  c=$1
  port=$2
  set -- "$P/$c"/fdinfo/*
  [ -e "$1" ] || return 1
  cat "$@" 2>/dev/null | awk -v port="$port" "$hexval"'
    FILENAME != "-" { if (FNR > 1 && $4 == "0A" && portof($2) == port) want[$10] = 1; next }
    $1 == "ino:" && ($2 in want) { found = 1 }
    END { exit found ? 0 : 1 }' $(tables "$P/$c/net") -
}
locate() {
  if [ "$1" != - ]; then
    pid=$1
    src=flag
    return
  fi
  if [ -n "$pid" ] && [ "$wanted" = "$2" ] && [ -r "$P/$pid/comm" ] && read -r name <"$P/$pid/comm" && [ "$name" = traefik ]; then return; fi
  wanted=$2
  pid=
  src=none
  found=
  for f in "$P"/[0-9]*/comm; do
    read -r name <"$f" 2>/dev/null || continue
    [ "$name" = traefik ] || continue
    c=\${f%/comm}
    c=\${c##*/}
    found="$found $c"
  done
  for c in $(echo $found | awk '{ for (i = 1; i <= NF; i++) p[i] = $i + 0
      for (i = 1; i <= NF; i++) for (j = i + 1; j <= NF; j++) if (p[j] < p[i]) { x = p[i]; p[i] = p[j]; p[j] = x }
      for (i = 1; i <= NF; i++) print p[i] }'); do
    if [ "$2" = - ] || listens "$c" "$2"; then
      pid=$c
      src=discovered
      return
    fi
  done
}
poll() {
  seq=$1
  lp=$4
  bp=$5
  locate "$2" "$3"
  echo "@@begin $seq"
  echo "@@pid \${pid:--} $src"
  own=none
  stat=/dev/null
  if [ -n "$pid" ] && [ -r "$P/$pid/stat" ]; then
    stat=$P/$pid/stat
    net=$P/$pid/net
    if [ ! -r "$P/$pid/fd" ]; then
      own=denied
      set -- /dev/null
    elif [ -n "$lsl" ]; then
      own=links
    else
      set -- "$P/$pid"/fdinfo/*
      if [ -e "$1" ]; then own=known; else own=empty; fi
    fi
  else
    net=$P/net
    set -- /dev/null
  fi
  t=
  for f in "$net/tcp" "$net/tcp6"; do [ -r "$f" ] && t="$t $f"; done
  # One awk for all of it (a fork less per file): the fd details on stdin, then stat, then the tables.
  {
    if [ "$own" = links ]; then ls -l "$P/$pid/fd"; else cat "$@"; fi
  } 2>/dev/null | awk -v own="$own" -v lports=",$lp," -v bports=",$bp," -v stat="$stat" "$hexval"'
    FILENAME == "-" {
      if ($1 == "ino:") { owned[$2] = 1; inos++ }
      else if ($NF ~ /^socket:\[[0-9]+\]$/) { owned[substr($NF, 9, length($NF) - 9)] = 1; inos++ }
      next
    }
    FILENAME == stat { print "@@stat"; print; next }
    FNR == 1 { fam = FILENAME ~ /6$/ ? "tcp6" : "tcp"; print "@@" fam; next }
    {
      ino = $10
      byinode = (own == "known" && inos > 0) || own == "links"
      if (byinode && ino != "0") {
        if (ino in owned) { print; if ($4 == "0A") listen["," portof($2) ","] = 1 } else foreign++
        next
      }
      l = portof($2); r = portof($3)
      if (byinode) { n++; held[n] = $0; hf[n] = fam; hl[n] = l; hr[n] = r; next }
      if (index(lports, "," l ",") || index(bports, "," r ",")) print; else foreign++
    }
    END {
      for (k = 1; k <= 2; k++) {
        fam = k == 1 ? "tcp" : "tcp6"
        print "@@" fam
        for (i = 1; i <= n; i++) if (hf[i] == fam) {
          if (("," hl[i] ",") in listen || index(lports, "," hl[i] ",") || index(bports, "," hr[i] ",")) print held[i]; else foreign++
        }
      }
      print "@@foreign " (foreign + 0)
      print "@@own " (own == "known" && inos == 0 ? "noino" : own == "links" ? "known" : own)
    }' - "$stat" $t
  echo "@@end $seq"
}
hello
while read -r cmd a b c d e; do
  case $cmd in
  poll) poll "$a" "$b" "$c" "$d" "$e" ;;
  ping)
    echo "@@begin $a"
    echo "@@end $a"
    ;;
  quit) exit 0 ;;
  esac
done
`.replaceAll('\\${', '${');

/** The remote command: a POSIX sh that reads the script from stdin up to RUN_LINE and runs it (no file, no long command line). */
export function bootstrapCommand(procRoot = '/proc'): string {
	return `sh -c 'n=$(printf "\\nx"); n=\${n%x}; s=; while IFS= read -r l && [ "$l" != ${RUN_LINE} ]; do s=$s$l$n; done; eval "$s"' traefik-top ${procRoot}`;
}

/** The remote command with --ssh-sudo: `sudo -n` first, the plain command (and why) when sudo refuses. */
export function sudoCommand(procRoot = '/proc'): string {
	const plain = bootstrapCommand(procRoot);
	return `m=$(sudo -n true 2>&1) && exec sudo -n ${plain}; echo "@@sudo-refused $m"; exec ${plain}`;
}

/** What the remote said in its first line. */
export type RemoteHello =
	| {
			readonly linux: true;
			readonly bootTime: number | null;
			readonly ephemeralPorts: readonly [number, number];
			readonly uid: number | null;
			readonly hostname: string;
	  }
	| {readonly linux: false; readonly system: string};

/** Parses `@@hello …`; undefined when the line is not one. */
export function parseHello(line: string): RemoteHello | undefined {
	const f = line.split(' ');
	if (f[0] !== '@@hello') return undefined;
	if (f[1] === 'noproc') return {linux: false, system: f.slice(2).join(' ').trim()};
	if (f[1] !== 'linux') return undefined;
	const num = (s: string | undefined) => (s === undefined || s === '-' || !/^\d+$/.test(s) ? null : Number(s));
	const low = num(f[3]);
	const high = num(f[4]);
	return {
		linux: true,
		bootTime: num(f[2]),
		ephemeralPorts: low !== null && high !== null && low > 0 && high >= low ? [low, high] : [32768, 60999],
		uid: num(f[5]),
		hostname: f.slice(6).join(' '),
	};
}

/** The poll line for `seq`: which PID (or discover, optionally the one listening on a port), and the ports whose rows matter. */
export function pollLine(seq: number, want: {pid?: number; listenPort?: number; localPorts: readonly number[]; backendPorts: readonly number[]}): string {
	const list = (ports: readonly number[]) => (ports.length === 0 ? '-' : [...new Set(ports)].sort((a, b) => a - b).join(','));
	return `poll ${seq} ${want.pid ?? '-'} ${want.listenPort ?? '-'} ${list(want.localPorts)} ${list(want.backendPorts)}\n`;
}

/** One framed answer, split into its sections. */
export interface RemoteAnswer {
	readonly seq: number;
	readonly pid: number | null;
	readonly pidSource: ProcHarvest['pidSource'];
	readonly stat: string | null;
	readonly tcp: string;
	readonly tcp6: string;
	readonly foreign: number;
	/** known: by inode; denied: /proc/<pid>/fdinfo unreadable; noino: a kernel whose fdinfo has no ino line; empty/none: no fds or no process. */
	readonly ownership: 'known' | 'denied' | 'noino' | 'empty' | 'none';
}

/** Parses the lines between `@@begin` and `@@end` (both included). */
export function parseAnswer(lines: readonly string[]): RemoteAnswer | {error: string} {
	const begin = /^@@begin (\d+)$/.exec(lines[0] ?? '');
	if (!begin) return {error: 'the remote reader answered out of frame'};
	let pid: number | null = null;
	let pidSource: ProcHarvest['pidSource'] = 'none';
	let stat: string | null = null;
	let foreign = 0;
	let ownership: RemoteAnswer['ownership'] = 'none';
	const rows: Record<'tcp' | 'tcp6', string[]> = {tcp: [], tcp6: []};
	let section: 'stat' | 'tcp' | 'tcp6' | null = null;
	for (const line of lines.slice(1, -1)) {
		if (line.startsWith('@@')) {
			const [tag, ...rest] = line.slice(2).split(' ');
			section = null;
			if (tag === 'pid') {
				pid = rest[0] === '-' ? null : Number(rest[0]);
				pidSource = rest[1] === 'flag' || rest[1] === 'discovered' ? rest[1] : 'none';
			} else if (tag === 'stat') section = 'stat';
			else if (tag === 'tcp' || tag === 'tcp6') section = tag;
			else if (tag === 'foreign') foreign = Number(rest[0]) || 0;
			else if (tag === 'own' && ['known', 'denied', 'noino', 'empty', 'none'].includes(rest[0] ?? '')) ownership = rest[0] as RemoteAnswer['ownership'];
			continue;
		}
		if (section === 'stat') stat = (stat ?? '') + line;
		else if (section !== null && line !== '') rows[section].push(line);
	}
	return {seq: Number(begin[1]), pid, pidSource, stat: stat === '' ? null : stat, tcp: rows.tcp.join('\n'), tcp6: rows.tcp6.join('\n'), foreign, ownership};
}

/** Why connections are matched by address, in words. */
function ownershipNote(answer: RemoteAnswer, host: string, sudo: boolean): string | undefined {
	const fd = `${host}:/proc/${answer.pid}/fdinfo`;
	if (answer.ownership === 'denied')
		return `${fd}: permission denied (Traefik runs as another user${sudo ? '' : '; --ssh-sudo tries sudo -n'}); connections are matched by address only`;
	if (answer.ownership === 'noino') return `${fd} has no ino lines (a kernel before 5.14?); connections are matched by address only`;
	return undefined;
}

/** A remote answer as the harvest the local reader would make of the same host. */
export function remoteHarvest(answer: RemoteAnswer, hello: RemoteHello & {linux: true}, host: string, sudo: boolean): Section<ProcHarvest> {
	let process = null;
	if (answer.pid !== null) {
		process = answer.stat === null ? null : parseProcessStat(answer.stat, hello.bootTime);
		if (process === null) return {error: `PID ${answer.pid} is gone on ${host}${answer.pidSource === 'flag' ? ' (given by --pid)' : ''}`};
	}
	const byInode = answer.ownership === 'known' || answer.ownership === 'empty';
	// Every row with an inode that came is Traefik's: the remote kept no other.
	let owned: InodeSet | null = null;
	const quiet: QuietConnections = {remoteIp: [], remotePort: [], localPort: []};
	const sockets: TcpSocket[] = [];
	let malformed = 0;
	if (byInode) {
		owned = new InodeSet();
		for (const text of [answer.tcp, answer.tcp6])
			for (const row of text.split('\n')) {
				const inode = Number(row.trim().split(/\s+/)[9]);
				if (inode > 0) owned.add(inode);
			}
	}
	for (const [text, ipv6] of [
		[answer.tcp, false],
		[answer.tcp6, true],
	] as const) {
		const table = parseProcNetTcp(text, ipv6, true, owned, quiet);
		for (const s of table.sockets) sockets.push(s);
		malformed += table.malformed;
	}
	const note = ownershipNote(answer, host, sudo);
	return {
		pid: answer.pid,
		pidSource: answer.pidSource,
		process,
		sockets,
		quiet,
		malformed,
		foreign: answer.foreign,
		ownedInodes: owned,
		...(note === undefined ? {} : {ownershipError: note}),
		warnings: [],
		ephemeralPorts: hello.ephemeralPorts,
	};
}
