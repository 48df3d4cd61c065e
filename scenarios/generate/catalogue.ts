/**
 * The electronics store's catalogue for generated traffic. contracts/inventory has no
 * shared SKU catalogue yet, so it lives here; when one appears, generate from it so
 * the sandbox's inventory stocks what generated orders ask for. Popularity is
 * Zipf-like (cables and earbuds sell most; fridges and big TVs rarely), which with the
 * prices gives order values their heavy right tail.
 */
export interface CatalogueItem {
  sku: string;
  weightKg: number;
  price: number;
  popularity: number;
}

export const CATALOGUE: readonly CatalogueItem[] = [
  { sku: 'CBL-USBC-1M', weightKg: 0.05, price: 12.9, popularity: 30 },
  { sku: 'EAR-BT-2', weightKg: 0.1, price: 79, popularity: 22 },
  { sku: 'CHG-65W', weightKg: 0.2, price: 39, popularity: 18 },
  { sku: 'PWB-20K', weightKg: 0.4, price: 45, popularity: 14 },
  { sku: 'MSE-W1', weightKg: 0.1, price: 29, popularity: 13 },
  { sku: 'PHN-A15', weightKg: 0.4, price: 349, popularity: 12 },
  { sku: 'SSD-1TB', weightKg: 0.05, price: 89, popularity: 10 },
  { sku: 'SPK-BT-M', weightKg: 0.7, price: 89, popularity: 9 },
  { sku: 'HDP-NC-700', weightKg: 0.3, price: 199, popularity: 8 },
  { sku: 'WCH-S3', weightKg: 0.1, price: 249, popularity: 7 },
  { sku: 'KBD-MX', weightKg: 0.9, price: 99, popularity: 7 },
  { sku: 'TAB-11', weightKg: 0.6, price: 449, popularity: 6 },
  { sku: 'RTR-AX6', weightKg: 0.9, price: 129, popularity: 5 },
  { sku: 'PHN-P9', weightKg: 0.45, price: 899, popularity: 5 },
  { sku: 'MON-27Q', weightKg: 6.8, price: 329, popularity: 4 },
  { sku: 'TV-43', weightKg: 9.5, price: 399, popularity: 4 },
  { sku: 'LPT-14', weightKg: 1.6, price: 1199, popularity: 4 },
  { sku: 'CON-PS', weightKg: 4.5, price: 549, popularity: 3 },
  { sku: 'TV-55', weightKg: 17.5, price: 699, popularity: 3 },
  { sku: 'CAM-M50', weightKg: 0.8, price: 749, popularity: 2 },
  { sku: 'LPT-G17', weightKg: 2.9, price: 1899, popularity: 1.5 },
  { sku: 'TV-75', weightKg: 32, price: 1499, popularity: 1 },
  { sku: 'WSH-8KG', weightKg: 70, price: 649, popularity: 0.7 },
  { sku: 'FRG-M2', weightKg: 65, price: 899, popularity: 0.6 },
];
