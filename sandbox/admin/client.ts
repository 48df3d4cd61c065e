/** The admin client lives in contracts (fault scenarios and provider verification use it). */
export * from '../../contracts/carriers/admin/client.ts';
