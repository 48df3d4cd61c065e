import type { OrderState } from '../../contracts/platform/api.ts';

/**
 * The compensation policy as data, and the pure function that applies it to one order.
 *
 * Default (from the design, after the store's own recovery plan): a delay over 3 days
 * refunds the shipping cost; high-value and VIP orders get more. Rules are tried in
 * order and the first that matches wins, so the most generous come first. A user's
 * policy replaces the rules wholesale (shipgate config `canary.compensation`).
 */
export type Tier = 'standard' | 'high-value' | 'vip';

export interface CompensationRule {
  /** Applies when the delay is strictly more than this many hours (0: any delay). */
  minDelayHours: number;
  /** Applies only to these tiers (default: every tier). */
  tiers?: readonly Tier[];
  /** Machine-readable action, e.g. "refund-shipping", "refund-shipping-and-voucher", "contact". */
  action: string;
  /** What the customer gets: the shipping cost refunded, plus a share of the order value, plus a fixed sum. */
  refundShipping?: boolean;
  valueShare?: number;
  fixed?: number;
  /** Why, in words a customer-service agent can repeat. */
  reason: string;
}

export interface CompensationPolicy {
  name: string;
  currency: string;
  /** Orders worth at least this are high-value (unless VIP, which ranks higher). */
  highValueFrom: number;
  /** Used when the platform did not record a shipping price. */
  defaultShippingCost: number;
  rules: readonly CompensationRule[];
}

/** Kept monotone (a longer delay never gets less; see the test): the over-3-days voucher includes the under-3-days one. */
export const DEFAULT_COMPENSATION_POLICY: CompensationPolicy = {
  name: 'shipping refunded past a 3-day delay; more for high-value and VIP orders',
  currency: 'EUR',
  highValueFrom: 1000,
  defaultShippingCost: 5,
  rules: [
    {
      minDelayHours: 72,
      tiers: ['vip'],
      action: 'refund-shipping-and-voucher',
      refundShipping: true,
      valueShare: 0.1,
      fixed: 10,
      reason:
        'delay over 3 days on a VIP order: shipping refunded and a voucher of 10 plus 10% of the order value',
    },
    {
      minDelayHours: 72,
      tiers: ['high-value'],
      action: 'refund-shipping-and-voucher',
      refundShipping: true,
      valueShare: 0.05,
      fixed: 10,
      reason:
        'delay over 3 days on a high-value order: shipping refunded and a voucher of 10 plus 5% of the order value',
    },
    {
      minDelayHours: 72,
      action: 'refund-shipping',
      refundShipping: true,
      reason: 'delay over 3 days: shipping refunded',
    },
    {
      minDelayHours: 0,
      tiers: ['vip', 'high-value'],
      action: 'contact-with-voucher',
      fixed: 10,
      reason:
        'late (under 3 days) on a VIP or high-value order: apologise before they ask, with a small voucher',
    },
    {
      minDelayHours: 0,
      action: 'contact',
      reason: 'late by under 3 days: tell the customer before they ask',
    },
  ],
};

export function tierOf(order: Pick<OrderState, 'vip' | 'value'>, policy: CompensationPolicy): Tier {
  if (order.vip) return 'vip';
  return order.value >= policy.highValueFrom ? 'high-value' : 'standard';
}

export interface Lateness {
  basis: 'predicted' | 'actual';
  /** Hours past the promise; > 0. */
  delayHours: number;
}

/** Known late (delivered after the promise) or predicted late (ETA after it); undefined if on time. */
export function latenessOf(
  order: Pick<OrderState, 'promisedBy' | 'deliveredAt' | 'predictedDeliveryAt'>,
): Lateness | undefined {
  const promised = Date.parse(order.promisedBy);
  if (!Number.isFinite(promised)) return undefined;
  const at = order.deliveredAt ?? order.predictedDeliveryAt;
  if (!at) return undefined;
  const delayHours = (Date.parse(at) - promised) / 3_600_000;
  if (!(delayHours > 0)) return undefined;
  return { basis: order.deliveredAt ? 'actual' : 'predicted', delayHours };
}

export interface Compensation {
  action: string;
  amount: number;
  currency: string;
  reason: string;
}

export function compensate(
  order: Pick<OrderState, 'vip' | 'value' | 'price'>,
  lateness: Lateness,
  policy: CompensationPolicy = DEFAULT_COMPENSATION_POLICY,
): Compensation {
  const tier = tierOf(order, policy);
  const rule = policy.rules.find(
    (r) => lateness.delayHours > r.minDelayHours && (r.tiers === undefined || r.tiers.includes(tier)),
  );
  if (!rule)
    return { action: 'none', amount: 0, currency: policy.currency, reason: 'no rule of the policy applies' };
  const shipping = rule.refundShipping ? (order.price ?? policy.defaultShippingCost) : 0;
  const amount = shipping + (rule.valueShare ?? 0) * order.value + (rule.fixed ?? 0);
  return {
    action: rule.action,
    amount: Math.round(amount * 100) / 100,
    currency: policy.currency,
    reason: rule.reason,
  };
}
