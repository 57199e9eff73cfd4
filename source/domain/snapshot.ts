/**
 * The snapshot@1 document's types: what every view draws, what --json prints and what `e`
 * exports. Derived from the schema in snapshot-schema.ts (imported for its types only, so the
 * schema's code stays out of the bundle).
 */
import type {Static, TSchema} from '@sinclair/typebox';
import type {SnapshotSchema} from './snapshot-schema.js';

/** The schema's id, the first field of every snapshot. */
export const SNAPSHOT_SCHEMA = 'traefik-top/snapshot@1';

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? {readonly [K in keyof T]: DeepReadonly<T[K]>} : T;
type Of<T extends TSchema> = DeepReadonly<Static<T>>;

export type Snapshot = Of<typeof SnapshotSchema>;
export type SourceState = Snapshot['sources']['proc'];
export type TraefikIdentity = Snapshot['traefik'];
export type ServiceRow = Snapshot['services'][number];
export type ServiceServer = ServiceRow['servers'][number];
export type BackendRow = Snapshot['backends'][number];
export type EntryPointRow = Snapshot['entrypoints'][number];
export type RouterRow = Snapshot['routers'][number];
export type SnapshotAlert = Snapshot['alerts'][number];
export type Latency = ServiceRow['latency'];
export type LatencyBucket = Latency['buckets'][number];
export type StatusRates = ServiceRow['statusRates'];
/** How a rule judges one figure of a row now. */
export type CellLevel = NonNullable<BackendRow['levels']['status']>;
export type BackendLevelKey = keyof BackendRow['levels'];
export type ServiceLevelKey = keyof ServiceRow['levels'];
