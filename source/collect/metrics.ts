/** Scrapes Traefik's /metrics and turns the answer into a reading, or says in words why not. */
import {describeStatus, httpGet, isHtml, type HttpOptions} from './http.js';
import {redactUrl} from '../domain/server-url.js';
import {parseTraefikMetrics} from './traefik-metrics-parse.js';
import type {MetricsReading} from '../domain/harvest.js';
import type {Section} from '../domain/harvest.js';

/** Checks that a response is a text exposition, then parses it. Pure apart from the text decode. */
export function readExposition(url: string, status: number, contentType: string, body: string, html: boolean): Section<MetricsReading> {
	const where = redactUrl(url);
	if (status !== 200) return {error: `${where}: ${describeStatus(status)}`};
	if (html) return {error: `${where}: answered an HTML page, not metrics (a login page, or the dashboard?)`};
	const type = contentType.toLowerCase();
	if (type.includes('json')) return {error: `${where}: answered JSON, not a metrics exposition (is this the API URL?)`};
	if (type.includes('protobuf')) return {error: `${where}: answered protobuf; only the text format is read`};
	const reading = parseTraefikMetrics(body);
	if (reading.report.samples === 0 && reading.report.malformed > 0) {
		return {error: `${where}: not a Prometheus exposition (${reading.report.errors[0] ?? 'no sample line'})`};
	}
	if (reading.report.lines === 0) return {error: `${where}: the answer holds no metrics (${body.length} bytes)`};
	return reading;
}

/** One scrape of `url` within the options' timeout. */
export async function fetchMetrics(url: string, options: HttpOptions): Promise<Section<MetricsReading>> {
	try {
		const response = await httpGet(url, {...options, accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1'});
		return readExposition(url, response.status, String(response.headers['content-type'] ?? ''), response.text, isHtml(response.headers, response.text));
	} catch (error) {
		return {error: error instanceof Error ? error.message : String(error)};
	}
}
