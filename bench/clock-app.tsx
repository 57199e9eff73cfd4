// The floor of the runtime: an idle Ink app that only renders a clock once a second, in the
// alternate screen, with the same render options as traefik-top.
import {render, Text} from 'ink';
import {useEffect, useState} from 'react';

function Clock() {
	const [now, setNow] = useState(() => new Date());
	useEffect(() => {
		const timer = setInterval(() => setNow(new Date()), 1000);
		return () => clearInterval(timer);
	}, []);
	return <Text>{now.toISOString()}</Text>;
}

process.stdout.write('\x1b[?1049h');
const app = render(<Clock />, {maxFps: 4, incrementalRendering: true});
await app.waitUntilExit();
process.stdout.write('\x1b[?1049l');
