/** server_down: Traefik's own health check (or passive check) says a server is DOWN. */
import type {RuleFamily} from './family.js';

/** The rules' settings and their defaults. */
export const SERVER_DOWN_RULES = {
	server_down: {enabled: true},
};

export const serverDown: RuleFamily<typeof SERVER_DOWN_RULES> = {
	defaults: SERVER_DOWN_RULES,
	source: 'any',
	backend(row, _ctx, verdict) {
		if (row.status === 'UP') verdict.level('status', 'ok');
		if (row.status === 'DOWN') verdict.level('status', 'crit');
	},
	service(row, {rules}, verdict) {
		const down = row.servers.filter((s) => s.status === 'DOWN');
		if (down.length > 0) verdict.level('servers', 'crit');
		if (!rules.server_down.enabled) return;
		for (const server of down) {
			verdict.breach({
				rule: 'server_down',
				level: 'crit',
				subject: server.address ?? server.url,
				service: row.name,
				value: 'DOWN',
				threshold: 'UP',
				text:
					server.downBy === 'server_up'
						? `Traefik leaves ${server.url} out: server_up 0 (a passive health check; the API still says UP), ` +
							`${row.serversUp} of ${row.servers.length} servers up`
						: `Traefik marks ${server.url} DOWN (${row.serversUp} of ${row.servers.length} servers up)`,
			});
		}
	},
};
