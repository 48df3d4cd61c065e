// How shipgate speaks Kestrel's order API: a declarative platform adapter, plain data
// (`target.platform` in shipgate.config.ts). Expressions are JSONata (https://jsonata.org),
// paths mustache templates (values URL-encoded). Nothing of shipgate is imported: this is
// what a Kestrel engineer writes, from Kestrel's README alone.
//
// shipgate's order (the traffic file) → Kestrel's fulfilment request:
//   serviceLevel express/standard/economy → speed next-day/two-day/saver
//   destination.region + postcode         → postcode "<zone><area>-<3 digits>" (region SE is area CQ)
//   items[].sku, qty, weightKg            → lines[].article KS-0001..KS-0100, units, unitGrams
//   value (the order's, in the currency)  → unitPriceCents, spread over the units
export const kestrelPlatform = {
  name: 'kestrel',
  // A resend is recognised by the reference in the path. Both builds share one order
  // book, so each target gets references of its own: the same order replayed to the
  // current and the next build must be two requests, not a replay of the first.
  idempotency: { in: 'path' },
  key: '$target & "-" & $replace(id, /[^A-Za-z0-9_-]/, "_")',
  submit: {
    method: 'PUT',
    path: '/fulfilment/requests/{{key}}',
    body: `{
      "speed": $lookup({"express": "next-day", "standard": "two-day", "economy": "saver"}, serviceLevel),
      "recipient": {
        "fullName": customer.name,
        "email": customer.email,
        "street": customer.address.line1,
        "town": customer.address.city,
        "postcode": $lookup({"C": "MC", "N": "HN", "NE": "HE", "NW": "HW", "E": "CE", "SE": "CQ",
                             "S": "CS", "SW": "VS", "W": "VW"}, destination.region)
                    & "-" & $substring(destination.postcode, 3, 3)
      },
      "lines": [items.{
        "article": "KS-" & $pad($string($number($substringAfter(sku, "-")) % 100 + 1), -4, "0"),
        "units": qty,
        "unitGrams": $max([1, $round(weightKg * 1000)]),
        "unitPriceCents": $round($$.value * 100 / $sum($$.items.qty))
      }]
    }`,
    // 201 created, 200 the same request again (nothing new).
    accepted: [200, 201],
    retryable: [429, 503],
    platformId: 'ticket',
    duplicate: '$headers."idempotent-replay" = "true"',
    // Kestrel's error codes only ("insufficient-stock"), never a body that could echo the recipient.
    reason: 'error',
  },
  outcome: {
    // The parcel's status, by the ticket the answer gave; 404 means Kestrel never had it.
    poll: { path: '/fulfilment/tickets/{{platformId}}/status', missing: [404] },
    report: {
      status: 'state',
      // Processing is synchronous: once there is a ticket, carrier and promise are decided.
      settled: '$exists(carrier)',
      final: 'state = "delivered"',
      outcome: '"shipped"',
      platformId: 'ticket',
      carrier: 'carrier',
      promisedBy: 'promisedOn',
      delivered: 'state = "delivered"',
      onTime: 'punctuality = "on-time" ? true : (punctuality = "late" ? false : null)',
      fields: { zone: 'zone', area: 'area' },
    },
  },
  // The decisions a release must not change unnoticed, grouped by Kestrel's own geography.
  // (The state moves on with the simulated clock and consignment numbers are minted per
  // parcel: neither is a decision.)
  decisions: { fields: ['carrier', 'promisedBy'], groupBy: ['zone', 'area'] },
} as const;
