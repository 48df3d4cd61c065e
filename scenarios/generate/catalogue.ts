/**
 * Generated orders buy from the sandbox store's shared SKU catalogue
 * (contracts/inventory/catalogue.ts): the inventory service stocks exactly these, so a
 * generated day replays against the sandbox without spurious out-of-stock outcomes.
 * Its Zipf-like popularity and prices give order values their heavy right tail.
 */
export { type CatalogueItem, SKU_CATALOGUE as CATALOGUE } from '../../contracts/inventory/catalogue.ts';
