/**
 * The snapshot@1 document, defined once: the TypeScript types (snapshot.ts) and the shipped JSON
 * Schema (schema/snapshot.schema.json, written by scripts/schema.mjs) both come from here. Field
 * names that outside scripts rely on (README, Snapshots) never change; fields are only ever added.
 */
import {Type, type Static, type TSchema} from '@sinclair/typebox';
import {RULE_NAMES} from './rules.js';
import {REPORTED_STATES} from './tcp.js';

/** A value or null, written as `"type": ["number", "null"]` rather than an anyOf. */
const nullable = <T extends TSchema & {type: string}>(schema: T) => Type.Unsafe<Static<T> | null>({...schema, type: [schema.type, 'null']});
const Time = Type.String({format: 'date-time'});
const Ratio = nullable(Type.Number({minimum: 0, maximum: 1}));
const Rate = nullable(Type.Number({minimum: 0}));
const Count = Type.Integer({minimum: 0});

const Level = Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('crit')], {
	description: "How the rule that reads a figure judges it now (the alert waits for the rule's hold)",
});
const AlertLevel = Type.Union([Type.Literal('warn'), Type.Literal('crit')]);
const ServerStatus = Type.Union([Type.Literal('UP'), Type.Literal('DOWN'), Type.Literal('unknown')]);

const Source = Type.Object(
	{
		ok: Type.Boolean(),
		error: Type.Optional(Type.String()),
		lastSuccessAt: Type.Optional(Time),
		notes: Type.Optional(Type.Array(Type.String())),
	},
	{$id: 'source'},
);

const States = Type.Object(Object.fromEntries(REPORTED_STATES.map((s) => [s, Count])) as Record<(typeof REPORTED_STATES)[number], typeof Count>, {
	$id: 'states',
	additionalProperties: false,
});

const StatusRates = Type.Object({'2xx': Rate, '3xx': Rate, '4xx': Rate, '5xx': Rate}, {$id: 'statusRates'});

const LatencyBucket = Type.Object({
	le: Type.Union([Type.Number(), Type.Literal('+Inf')], {description: 'upper bound in seconds'}),
	share: Ratio,
	cumulativeShare: Ratio,
});

const Latency = Type.Object(
	{
		p50: nullable(Type.Number()),
		p95: nullable(Type.Number()),
		p99: nullable(Type.Number()),
		buckets: Type.Array(LatencyBucket),
		count: Type.Optional(Type.Number({minimum: 0, description: 'requests the shares are of (instances are summed by it)'})),
	},
	{$id: 'latency'},
);

const ServiceServer = Type.Object({
	url: Type.String({description: 'without user:password'}),
	address: nullable(Type.String()),
	status: ServerStatus,
	downBy: Type.Optional(Type.Literal('server_up', {description: 'DOWN by traefik_service_server_up 0 while the API says UP (a passive health check)'})),
});

const ServiceLevels = Type.Partial(Type.Object({errorRatioMinute: Level, p95Recent: Level, servers: Level, CLOSE_WAIT: Level, retries: Level}));

const Service = Type.Object(
	{
		name: Type.String(),
		requestsPerSecond: Rate,
		errorRatio: Ratio,
		errorRatioMinute: Ratio,
		statusRates: Type.Ref(StatusRates),
		latency: Type.Ref(Latency),
		latencyMinute: Type.Ref(Latency),
		latencyRecent: Type.Ref(Latency),
		servers: Type.Array(ServiceServer),
		serversUp: Count,
		bytesInPerSecond: Rate,
		bytesOutPerSecond: Rate,
		retriesPerSecond: Rate,
		connections: Type.Object({ESTABLISHED: Count, TIME_WAIT: Count, CLOSE_WAIT: Count}),
		parents: Type.Optional(Type.Array(Type.String())),
		instance: Type.Optional(Type.String({description: 'with several instances: the one this row is of (a pinned instance)'})),
		instances: Type.Optional(
			Type.Array(
				Type.Object({
					instance: Type.String(),
					requestsPerSecond: Rate,
					share: Ratio,
					errorRatio: Ratio,
					p95: nullable(Type.Number()),
				}),
				{description: "with several instances: the service on each of them (its share of the service's requests, 5xx share, p95)"},
			),
		),
		levels: ServiceLevels,
		alertLevel: Type.Optional(AlertLevel),
	},
	{$id: 'service'},
);

const BackendLevels = Type.Partial(
	Type.Object({
		status: Level,
		ESTABLISHED: Level,
		SYN_SENT: Level,
		TIME_WAIT: Level,
		CLOSE_WAIT: Level,
		closeWaitOldestSeconds: Level,
		timeWaitRatio: Level,
		retransmitting: Level,
		serverErrorRatio: Level,
		serverP95: Level,
	}),
);

const Backend = Type.Object(
	{
		service: Type.String(),
		services: Type.Array(Type.String()),
		address: Type.String({pattern: '^(\\[[0-9a-f:.]+\\]|[0-9.]+):[0-9]+$'}),
		urls: Type.Array(Type.String()),
		hostname: Type.Optional(Type.String()),
		status: ServerStatus,
		statusStale: Type.Boolean({description: "Traefik's status as last known: the source that said it (API or /metrics) is failing"}),
		states: Type.Ref(States),
		total: Count,
		closeWaitOldestSeconds: nullable(Type.Number({minimum: 0})),
		timeWaitRatio: Ratio,
		txQueueBytes: Count,
		rxQueueBytes: Count,
		retransmitting: Count,
		synSentPolls: Count,
		retransmitPolls: Count,
		newAnswered: Count,
		error: Type.Optional(Type.String()),
		instance: Type.Optional(Type.String({description: 'with several instances: the instance whose connections these are'})),
		requests: Type.Optional(
			Type.Object(
				{
					requestsPerSecond: Type.Number({minimum: 0}),
					errorRatio: Ratio,
					p50: nullable(Type.Number({minimum: 0})),
					p95: nullable(Type.Number({minimum: 0})),
					retriesPerSecond: Type.Number({minimum: 0}),
					requests: Count,
				},
				{description: "this server's requests in Traefik's access log over the last minute (p50/p95 in seconds, to a bucket of a log scale)"},
			),
		),
		levels: BackendLevels,
		alertLevel: Type.Optional(AlertLevel),
	},
	{$id: 'backend'},
);

const EntryPoint = Type.Object({
	name: Type.String(),
	port: nullable(Type.Integer()),
	states: Type.Ref(States),
	total: Count,
	openConnections: Type.Optional(nullable(Type.Number())),
	requestsPerSecond: Type.Optional(Rate),
	errorRatio: Type.Optional(Ratio),
	statusRates: Type.Optional(Type.Ref(StatusRates)),
	bytesInPerSecond: Type.Optional(Rate),
	bytesOutPerSecond: Type.Optional(Rate),
});

const Router = Type.Object({
	name: Type.String(),
	service: nullable(Type.String()),
	requestsPerSecond: Rate,
	errorRatio: Ratio,
	statusRates: Type.Ref(StatusRates),
	latency: Type.Ref(Latency),
});

const Alert = Type.Object(
	{
		rule: Type.Union(RULE_NAMES.map((name) => Type.Literal(name))),
		level: AlertLevel,
		subject: Type.String(),
		service: Type.Optional(Type.String()),
		value: Type.Union([Type.Number(), Type.String()]),
		threshold: Type.Union([Type.Number(), Type.String()]),
		text: Type.String({description: 'what was seen against what limit, in units'}),
		instance: Type.Optional(Type.String({description: 'with several instances: the instance it is about'})),
		since: Time,
		resolvedAt: Type.Optional(Time),
	},
	{$id: 'alert'},
);

const Series = Type.Array(nullable(Type.Number()), {$id: 'series', description: 'oldest first; null is a gap (a failed poll)'});

const Traefik = Type.Object({
	pid: nullable(Type.Integer()),
	version: nullable(Type.String()),
	uptimeSeconds: nullable(Type.Number()),
	cpuRatio: nullable(Type.Number()),
	rssBytes: nullable(Type.Number()),
	openConnections: nullable(Type.Number()),
	configReloadAgeSeconds: nullable(Type.Number()),
	restartedAt: Type.Optional(Time),
});

const Link = Type.Object(
	{
		host: Type.String({description: 'the SSH destination, as given'}),
		state: Type.Union([Type.Literal('connecting'), Type.Literal('connected'), Type.Literal('reconnecting')]),
		since: Time,
		rttMs: nullable(Type.Number({description: "time to the first byte of the remote reader's last answer"})),
		bytesPerPoll: nullable(Type.Number({description: "bytes of the reader's last answer and of the HTTP answers through the tunnel"})),
		lastError: Type.Optional(Type.String()),
		sudo: Type.Optional(Type.String({description: 'with --ssh-sudo: yes, no (already root), or why sudo -n refused'})),
	},
	{$id: 'link'},
);

const Instance = Type.Object(
	{
		name: Type.String(),
		url: Type.String({description: 'its API (or metrics) URL, without user:password'}),
		state: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('late'), Type.Literal('starting')], {
			description: 'up; down: neither /metrics nor the API answers; late: the poll missed its deadline; starting: no poll ended yet',
		}),
		error: Type.Optional(Type.String()),
		identity: Traefik,
		sources: Type.Object({proc: Type.Ref(Source), metrics: Type.Ref(Source), api: Type.Ref(Source), accessLog: Type.Optional(Type.Ref(Source))}),
		requestsPerSecond: Rate,
		errorRatio: Ratio,
		p95: nullable(Type.Number()),
		lastReloadAt: nullable(Time),
		configErrors: nullable(Count),
		routers: nullable(Count),
		services: nullable(Count),
		servers: nullable(Count),
		fingerprint: nullable(Type.String({description: 'of its normalised configuration: equal fingerprints, equal configurations'})),
		drift: Type.Array(Type.String(), {description: 'the differences that name this instance'}),
		link: Type.Optional(Type.Ref(Link, {description: 'an instance read over SSH: its link'})),
		alertLevel: Type.Optional(AlertLevel),
	},
	{$id: 'instance'},
);

/** The whole document. */
export const SnapshotSchema = Type.Object(
	{
		schema: Type.Literal('traefik-top/snapshot@1'),
		takenAt: Time,
		host: Type.String(),
		demo: Type.Optional(Type.String({description: 'with --demo: what runs, e.g. "Traefik 3.7.15 (/path/to/traefik)" or "the stand-in (no Traefik found)"'})),
		intervalSeconds: Type.Number({exclusiveMinimum: 0}),
		cadenceSeconds: nullable(
			Type.Number({minimum: 0, description: 'seconds between the last two polls as they ran: above intervalSeconds when polls fall behind'}),
		),
		filter: Type.Object({
			service: nullable(Type.String()),
			entrypoint: nullable(Type.String()),
			instance: Type.Optional(nullable(Type.String({description: 'with several instances: the pinned one (null: all, summed)'}))),
		}),
		traefik: Traefik,
		sources: Type.Object({proc: Type.Ref(Source), metrics: Type.Ref(Source), api: Type.Ref(Source), accessLog: Type.Optional(Type.Ref(Source))}),
		totals: Type.Object({
			scope: Type.String(),
			requestsPerSecond: Rate,
			statusRates: Type.Ref(StatusRates),
			errorRatio: Ratio,
			latency: Type.Ref(Latency),
			levels: Type.Partial(Type.Object({errorRatio: Level, p95: Level}), {
				description: 'judged as a service is: the 5xx share of the last minute, p95 of the last seconds',
			}),
		}),
		services: Type.Array(Type.Ref(Service)),
		backends: Type.Array(Type.Ref(Backend)),
		entrypoints: Type.Array(EntryPoint),
		routers: Type.Array(Router),
		requests: Type.Optional(
			Type.Array(
				Type.Object({
					at: nullable(Time),
					entryPoint: nullable(Type.String()),
					router: nullable(Type.String()),
					service: nullable(Type.String()),
					serverUrl: nullable(Type.String()),
					serverAddr: nullable(Type.String()),
					method: Type.String(),
					host: Type.String(),
					path: Type.String(),
					status: Type.Integer(),
					originStatus: nullable(Type.Integer()),
					durationMs: nullable(Type.Number()),
					originMs: nullable(Type.Number()),
					retries: Type.Integer({minimum: 0}),
					size: nullable(Type.Number()),
				}),
				{description: "the last requests of Traefik's access log, newest first (with --access-log)"},
			),
		),
		alerts: Type.Array(Type.Ref(Alert)),
		recentAlerts: Type.Array(Type.Ref(Alert)),
		history: Type.Object({
			requestsPerSecond: Type.Ref(Series),
			errorRatio: Type.Ref(Series),
			p50: Type.Ref(Series),
			p95: Type.Ref(Series),
			p99: Type.Ref(Series),
			statusRates: Type.Object(
				{'2xx': Type.Ref(Series), '3xx': Type.Ref(Series), '4xx': Type.Ref(Series), '5xx': Type.Ref(Series)},
				{description: 'requests per second of each status class, per poll'},
			),
			bucketShares: Type.Record(Type.String(), Type.Ref(Series), {description: 'per latency bucket bound (as text), the share of requests in it per poll'}),
			establishedConnections: Type.Ref(Series),
		}),
		link: Type.Optional(Type.Ref(Link, {description: 'with --ssh (or a pinned SSH instance): the link the data came through'})),
		rewind: Type.Optional(
			Type.Object(
				{at: Time, error: Type.Optional(Type.String({description: 'why that moment cannot be shown (the figures are then the live ones)'}))},
				{description: "with --prometheus, rewound ([ and ]): the past moment shown, from Prometheus' history; the kernel and API views are live only"},
			),
		),
		instances: Type.Optional(Type.Array(Type.Ref(Instance), {description: 'with several targets: every instance, in the order given'})),
		drift: Type.Optional(
			Type.Array(Type.Object({kind: Type.String(), name: Type.String(), text: Type.String(), instances: Type.Array(Type.String())}), {
				description: 'with several instances: what differs between their configurations (/api/rawdata), per object; empty when they agree',
			}),
		),
		otherConnections: Count,
		unresolvedServers: Type.Array(Type.Object({service: Type.String(), url: Type.String(), error: Type.String()})),
	},
	{
		$schema: 'https://json-schema.org/draft/2020-12/schema',
		$id: 'https://github.com/traefik-top/traefik-top/schema/snapshot.schema.json',
		title: 'traefik-top snapshot',
		description:
			'One snapshot of what traefik-top shows: written by --json (one per line), --snapshot FILE and the e key. Version 1; fields are only ever added.',
		$defs: {
			source: Source,
			states: States,
			statusRates: StatusRates,
			latency: Latency,
			service: Service,
			backend: Backend,
			alert: Alert,
			series: Series,
			instance: Instance,
			link: Link,
		},
	},
);

/** The JSON Schema text shipped in schema/snapshot.schema.json. */
export function snapshotJsonSchema(): string {
	return `${JSON.stringify(SnapshotSchema, null, 2)}\n`;
}
