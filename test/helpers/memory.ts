// The heap in use after a full collection, for the tests that hold memory to a bound.
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** MB of heap in use after two full collections (the second frees what the first's finalizers let go). */
export function heapMb(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed / 1048576;
}
