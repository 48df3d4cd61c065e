/**
 * A Pact Broker when there is one: PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN (the
 * token is a secret: it is sent as a bearer header and never logged or reported;
 * `describeBroker` is what may be printed).
 */
export interface BrokerConfig {
  baseUrl: string;
  token?: string;
}

export function brokerFromEnv(env: NodeJS.ProcessEnv = process.env): BrokerConfig | undefined {
  const baseUrl = env.PACT_BROKER_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  const token = env.PACT_BROKER_TOKEN?.trim();
  return { baseUrl: baseUrl.replace(/\/+$/, ''), ...(token ? { token } : {}) };
}

/** Safe to print: the URL without credentials, and whether a token is set. */
export function describeBroker(config: BrokerConfig): string {
  let url = config.baseUrl;
  try {
    const parsed = new URL(config.baseUrl);
    parsed.username = '';
    parsed.password = '';
    url = parsed.toString().replace(/\/+$/, '');
  } catch {
    // not a URL: printed as given, minus nothing secret (the token is separate)
  }
  return `${url} (${config.token ? 'token set' : 'no token'})`;
}
