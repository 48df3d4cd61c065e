import Mustache from 'mustache';

/**
 * PromQL templates in metric definitions, rendered with mustache (the templating
 * Flagger's MetricTemplate users know from Go templates, in its JavaScript form) rather
 * than hand-written replacement. Three variables, all built by shipgate and already
 * escaped for PromQL: {{selector}} (the version matcher and the source's global
 * matchers), {{versionLabel}}, {{window}}. HTML escaping is off: the values are PromQL.
 */

export const TEMPLATE_VARIABLES = ['selector', 'versionLabel', 'window'] as const;
export type TemplateVariables = Record<(typeof TEMPLATE_VARIABLES)[number], string>;

/**
 * What is wrong with a template, or undefined. Anything but plain {{variable}} tags is
 * refused: sections, partials and `{{{…}}}` would render something other than the user
 * meant, and a typo in a name would otherwise render as nothing and reach Prometheus
 * as a confusing parse error.
 */
export function templateProblem(template: string): string | undefined {
  let tokens: unknown[][];
  try {
    tokens = Mustache.parse(template) as unknown[][];
  } catch (error) {
    return `is not a valid template (${(error as Error).message}); write a selector as x{ {{selector}} } with spaces, since "{{{" opens mustache's unescaped tag`;
  }
  for (const [type, name] of tokens) {
    if (type === 'text') continue;
    if (type === '&')
      return `uses {{{${name}}}}: write x{ {{${name}}} } with spaces (mustache reads "{{{" as one tag)`;
    if (type !== 'name')
      return `uses the mustache tag "${type}${name}": only {{selector}}, {{versionLabel}} and {{window}} are allowed`;
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(String(name)))
      return `uses an unknown variable {{${name}}}; known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`;
  }
  return undefined;
}

/** Renders a template; throws on one templateProblem would refuse. */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  const problem = templateProblem(template);
  if (problem) throw new Error(`PromQL template ${problem}`);
  return Mustache.render(template, variables, {}, { escape: (value: unknown) => String(value) });
}
