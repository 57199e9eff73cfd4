/** cert_expiry: a certificate Traefik serves (traefik_tls_certs_not_after) expires soon. */
import type {RuleFamily} from './family.js';
import {round} from './verdict.js';

/** The rules' settings and their defaults. */
export const CERT_EXPIRY_RULES = {
	cert_expiry: {enabled: true, warnDays: 14, critDays: 3},
};

export const certExpiry: RuleFamily<typeof CERT_EXPIRY_RULES> = {
	defaults: CERT_EXPIRY_RULES,
	source: 'metrics',
	global({rules, certificates, now}, found) {
		const settings = rules.cert_expiry;
		if (!settings.enabled) return;
		for (const cert of certificates) {
			const days = (cert.notAfter * 1000 - now) / 86_400_000;
			if (days > settings.warnDays) continue;
			const crit = days <= settings.critDays;
			const limit = crit ? settings.critDays : settings.warnDays;
			const subject = `${cert.cn || cert.sans.split(',')[0] || 'certificate'}${cert.serial ? ` (serial ${cert.serial})` : ''}`;
			const when = days < 0 ? `expired ${round(-days, 1)} days ago` : `expires in ${round(days, 1)} days`;
			found.push({
				rule: 'cert_expiry',
				level: crit ? 'crit' : 'warn',
				subject,
				value: `${round(days, 1)} days`,
				threshold: `${limit} days`,
				text: `${when} (limit ${limit} days)`,
			});
		}
	},
};
