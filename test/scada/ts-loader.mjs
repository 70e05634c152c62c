// Lets a forked process (a SCADA reader under vitest) run the TypeScript sources directly:
// `node --import ./test/scada/ts-loader.mjs`. Registers ts-hooks.mjs as a module loader hook.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
