// Turns a tmux capture (capture-pane -e -p: text with SGR escapes) into an SVG of the terminal,
// cell by cell, so rsvg-convert can make a PNG of what the program really drew.
const PALETTE = [
	'#1e1e1e',
	'#e06c75',
	'#98c379',
	'#e5c07b',
	'#61afef',
	'#c678dd',
	'#56b6c2',
	'#d0d0d0',
	'#5c6370',
	'#ff7b86',
	'#b5e890',
	'#ffd68a',
	'#82c4ff',
	'#de9cf0',
	'#7fd6e0',
	'#ffffff',
];
const FG = '#d0d0d0';
const BG = '#1e1e1e';

function color256(n) {
	if (n < 16) return PALETTE[n];
	if (n < 232) {
		const v = n - 16;
		const c = (x) => (x === 0 ? 0 : 55 + x * 40);
		return `rgb(${c(Math.floor(v / 36))},${c(Math.floor(v / 6) % 6)},${c(v % 6)})`;
	}
	const g = 8 + (n - 232) * 10;
	return `rgb(${g},${g},${g})`;
}

/** Parses the capture into rows of cells {ch, fg, bg, bold, dim}. */
export function parseAnsi(text, columns) {
	const rows = [];
	// tmux does not repeat attributes that carry over from the end of the previous line.
	let state = {fg: FG, bg: BG, bold: false, dim: false, inverse: false};
	for (const line of text.split('\n')) {
		const cells = [];
		for (let i = 0; i < line.length;) {
			if (line[i] === '\x1b' && line[i + 1] === '[') {
				const end = line.indexOf('m', i);
				const codes = line
					.slice(i + 2, end)
					.split(';')
					.map(Number);
				for (let k = 0; k < codes.length; k++) {
					const c = codes[k];
					if (c === 0 || Number.isNaN(c)) state = {fg: FG, bg: BG, bold: false, dim: false, inverse: false};
					else if (c === 1) state = {...state, bold: true};
					else if (c === 2) state = {...state, dim: true};
					else if (c === 7) state = {...state, inverse: true};
					else if (c === 22) state = {...state, bold: false, dim: false};
					else if (c === 27) state = {...state, inverse: false};
					else if (c >= 30 && c <= 37) state = {...state, fg: PALETTE[c - 30]};
					else if (c >= 90 && c <= 97) state = {...state, fg: PALETTE[c - 82]};
					else if (c === 39) state = {...state, fg: FG};
					else if (c >= 40 && c <= 47) state = {...state, bg: PALETTE[c - 40]};
					else if (c === 49) state = {...state, bg: BG};
					else if ((c === 38 || c === 48) && codes[k + 1] === 5) {
						state = {...state, [c === 38 ? 'fg' : 'bg']: color256(codes[k + 2])};
						k += 2;
					}
				}
				i = end + 1;
				continue;
			}
			const ch = String.fromCodePoint(line.codePointAt(i));
			const cell = state.inverse ? {...state, fg: state.bg, bg: state.fg} : state;
			cells.push({ch, ...cell});
			i += ch.length;
		}
		while (cells.length < columns) cells.push({ch: ' ', fg: FG, bg: BG, bold: false, dim: false});
		rows.push(cells.slice(0, columns));
	}
	return rows;
}

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An SVG of the cells: one rect per background run, one text per foreground run. */
export function toSvg(rows, columns, title) {
	const cw = 8.4;
	const ch = 17;
	const pad = 12;
	const top = 30;
	const width = Math.ceil(columns * cw + pad * 2);
	const height = Math.ceil(rows.length * ch + top + pad);
	const out = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono" font-size="14">`,
		`<rect width="100%" height="100%" rx="8" fill="${BG}"/>`,
		`<circle cx="18" cy="15" r="5" fill="#e06c75"/><circle cx="36" cy="15" r="5" fill="#e5c07b"/><circle cx="54" cy="15" r="5" fill="#98c379"/>`,
		`<text x="${width / 2}" y="19" fill="#8a8f98" text-anchor="middle" font-size="12">${escapeXml(title)}</text>`,
	];
	rows.forEach((cells, r) => {
		const y = top + r * ch;
		for (let c = 0; c < cells.length;) {
			let e = c;
			while (e < cells.length && cells[e].bg === cells[c].bg) e++;
			if (cells[c].bg !== BG)
				out.push(`<rect x="${(pad + c * cw).toFixed(1)}" y="${y}" width="${((e - c) * cw + 0.5).toFixed(1)}" height="${ch}" fill="${cells[c].bg}"/>`);
			c = e;
		}
		for (let c = 0; c < cells.length;) {
			let e = c;
			const same = (a, b) => a.fg === b.fg && a.bold === b.bold && a.dim === b.dim;
			while (e < cells.length && same(cells[e], cells[c])) e++;
			const text = cells
				.slice(c, e)
				.map((x) => x.ch)
				.join('');
			if (text.trim() !== '') {
				const weight = cells[c].bold ? ' font-weight="bold"' : '';
				const opacity = cells[c].dim ? ' opacity="0.6"' : '';
				// textLength keeps every run on the cell grid whatever the font's advance.
				out.push(
					`<text x="${(pad + c * cw).toFixed(1)}" y="${y + 13}" fill="${cells[c].fg}"${weight}${opacity} ` +
						`textLength="${((e - c) * cw).toFixed(1)}" lengthAdjust="spacingAndGlyphs" xml:space="preserve">${escapeXml(text)}</text>`,
				);
			}
			c = e;
		}
	});
	out.push('</svg>');
	return out.join('\n');
}
