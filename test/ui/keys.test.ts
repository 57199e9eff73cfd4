// The key reducer alone: every key on the state the keys before it left.
import {describe, expect, it} from 'vitest';
import {reduceKey, splitKeys, type KeyPress} from '../../source/ui/keys.js';
import {backendRows, instanceRows, serviceRows} from '../../source/ui/rows.js';
import {initialViewState, type ViewState} from '../../source/ui/view-state.js';
import {sampleSnapshot} from '../helpers/snapshot.js';

const snapshot = sampleSnapshot();
const rowsOf = (view: ViewState) => ({services: serviceRows(snapshot, view), backends: backendRows(snapshot, view), instances: instanceRows(snapshot, view)});

function type(keys: readonly KeyPress[], view = initialViewState(null)) {
	const intents = [];
	for (const press of keys) {
		const result = reduceKey(view, press, rowsOf, 5);
		view = result.view;
		intents.push(...result.intents);
	}
	return {view, intents};
}

describe('reduceKey', () => {
	it('moves, then pins what the move selected', () => {
		// Worst first: auth and web (critical), then api and static.
		expect(type([{input: 'j'}, {input: 'j'}, {input: '', return: true}]).intents).toEqual([{type: 'pin', service: 'api@docker'}]);
	});

	it('pins from the backends table the service of the selected row, in its sort', () => {
		const {intents} = type([{input: '', tab: true}, {input: 'G'}, {input: '', return: true}]);
		expect(intents).toEqual([{type: 'pin', service: 'api@docker'}]);
	});

	it('filters on the rows shown, then moves within them', () => {
		const {view, intents} = type([...splitKeys('/web', {}), {input: '', return: true}, {input: 'G'}, {input: '', return: true}]);
		expect(view.filter).toBe('web');
		expect(intents).toEqual([{type: 'pin', service: 'web@docker'}]);
	});

	it('keeps the selection inside the table', () => {
		expect(type([{input: 'k'}, {input: 'k'}]).view.selected).toBe(0);
		expect(
			type([
				{input: '', pageDown: true},
				{input: '', pageDown: true},
			]).view.selected,
		).toBe(3);
	});

	it('Esc unpins first, then clears a kept filter', () => {
		const pinned = {...initialViewState('web@docker'), filter: 'a'};
		const once = type([{input: '', escape: true}], pinned);
		expect(once.intents).toEqual([{type: 'pin', service: null}]);
		expect(type([{input: '', escape: true}], once.view).view.filter).toBe('');
	});

	it('freezes the view on pause, and asks for nothing on resume', () => {
		const paused = type([{input: ' '}]);
		expect(paused).toMatchObject({view: {paused: true}, intents: [{type: 'freeze'}]});
		expect(type([{input: ' '}], paused.view)).toMatchObject({view: {paused: false}, intents: []});
	});

	it('keys typed in a filter are the filter, not commands', () => {
		const {view, intents} = type(splitKeys('/qe s', {}));
		expect(view.filter).toBe('qe s');
		expect(intents).toEqual([]);
	});

	it('splits a chunk into keys, Enter included', () => {
		expect(splitKeys('j\r', {})).toEqual([{input: 'j'}, {input: '', return: true}]);
		expect(splitKeys('c', {ctrl: true})).toEqual([{input: 'c', ctrl: true}]);
	});
});
