/**
 * Generated traffic orders from the sandbox store's own SKU catalogue
 * (contracts/inventory/catalogue.ts), so the inventory service stocks exactly what
 * generated orders ask for. Popularity there is Zipf-like, which with the prices gives
 * order values their heavy right tail.
 */
export { type CatalogueItem, SKU_CATALOGUE as CATALOGUE } from '../../contracts/inventory/catalogue.ts';
