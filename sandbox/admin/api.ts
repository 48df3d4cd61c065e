/** The admin API's wire format is defined in contracts (fault scenarios use it too). */
export * from '../../contracts/carriers/admin/api.ts';
