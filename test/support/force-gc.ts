import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');

/**
 * A full garbage collection, on demand, without starting jest with --expose-gc: code that holds
 * something only weakly (a timer's signal, a listener) is tested against the collector it meets in
 * production.
 */
export const forceGc = runInNewContext('gc') as () => void;
