import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Ajv2020} from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/snapshot.schema.json', import.meta.url)), 'utf8')) as object;
const ajv = new Ajv2020({allErrors: true, strict: true, allowUnionTypes: true});
addFormats.default(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about a document, empty when it is valid. */
export function schemaErrors(document: unknown): string[] {
	return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
