/**
 * msw handlers for the platform's carrier and inventory integrations, derived from the
 * contracts. In a user's unit test:
 *
 *   import { setupServer } from 'msw/node';
 *   import { contractHandlers } from 'shipgate/contracts/msw';
 *   const server = setupServer(...contractHandlers({ pactDir: '.shipgate/pacts' }));
 */
import type { HttpHandler } from 'msw';
import { type HandlerOptions, handlersFromPacts, readPacts } from './from-pact.ts';

export {
  type HandlerOptions,
  handlersFromPacts,
  type PactFile,
  type PactInteraction,
  readPacts,
  responseOf,
  routeOf,
} from './from-pact.ts';

/** Every handler of the pacts in a folder (default `.shipgate/pacts`, written by `shipgate contracts test`). */
export function contractHandlers(options: HandlerOptions & { pactDir?: string } = {}): HttpHandler[] {
  return handlersFromPacts(readPacts(options.pactDir ?? '.shipgate/pacts'), options);
}
