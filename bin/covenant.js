#!/usr/bin/env node
// The `covenant` command (`npx covenant …`): runs src/cli.ts through tsx, the same way `npm start` runs the
// server, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
process.env.COVENANT_CLI_MAIN = '1';
await import('../src/cli.ts');
