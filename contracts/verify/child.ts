import { type VerifyOptions, verifyProviders } from './verify.ts';

/** The child side of verifyProvidersIsolated: one request in, results out, exit. */
process.once('message', async (message: { options: VerifyOptions }) => {
  try {
    const results = await verifyProviders(message.options);
    process.send?.({ results }, () => process.exit(0));
  } catch (error) {
    process.send?.({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  }
});
