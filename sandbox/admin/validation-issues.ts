import type { FastifyError } from 'fastify';

/** Fastify validation errors as (field, message) pairs, with the field in dotted/indexed form. */
export function validationIssues(error: FastifyError): { field: string; message: string }[] {
  return (error.validation ?? []).map((issue) => {
    const missing = (issue.params as { missingProperty?: string }).missingProperty;
    const path = `${issue.instancePath}${missing ? `/${missing}` : ''}`;
    const field = path
      .split('/')
      .filter(Boolean)
      .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
    return { field: field || '(body)', message: `${field || 'body'} ${issue.message ?? 'is invalid'}` };
  });
}
