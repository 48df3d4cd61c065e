#!/usr/bin/env node
// Launcher: shipgate is written in TypeScript and runs through tsx's loader, so users
// need no build step and stack traces point at the sources they can read.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
