import { describe, expect, it } from 'vitest';
import { fieldMismatchesOf, fromVerifierMismatch, parseMockServerError } from './mismatch.ts';

// Captured from Pact 16.5's executeTest with the unit-mismatch client.
const MOCK_ERROR = `Test failed for the following reasons:

  Mock server failed with the following mismatches:

	0) The following request was incorrect: 

            	POST /v2/calculator/tarifflist
            
			 1.0 	$.packages[0].weight: Expected 2.5 (Decimal) to be an integer
			 1.1 	$.to_location.postal_code: Expected '20000' to match '^[0-9]{6}$'
`;

describe('parseMockServerError', () => {
  it('names each field with expected and actual', () => {
    expect(parseMockServerError(MOCK_ERROR)).toEqual([
      {
        field: 'request.body.packages[0].weight',
        expected: 'an integer',
        actual: '2.5 (Decimal)',
        message: 'Expected 2.5 (Decimal) to be an integer',
      },
      {
        field: 'request.body.to_location.postal_code',
        expected: "match '^[0-9]{6}$'",
        actual: "'20000'",
        message: "Expected '20000' to match '^[0-9]{6}$'",
      },
    ]);
  });

  it('keeps only the field mismatches when Pact also lists the wrong request as not received', () => {
    const text = `0) The following request was expected but not received: \n${MOCK_ERROR}`;
    expect(parseMockServerError(text).map((m) => m.field)).toEqual([
      'request.body.packages[0].weight',
      'request.body.to_location.postal_code',
    ]);
  });

  it('reports a request that was never sent', () => {
    const text = '0) The following request was expected but not received: \n Method: POST\n Path: /v2/orders';
    expect(parseMockServerError(text)).toEqual([
      expect.objectContaining({ field: '(request)', actual: 'no request was sent' }),
    ]);
  });
});

describe('fromVerifierMismatch', () => {
  it('turns body, status and header mismatches into response fields', () => {
    expect(
      fromVerifierMismatch({
        type: 'BodyMismatch',
        path: '$.status_code',
        mismatch: "Expected 'IN_TRANSIT' to match '^(UN|AC|IT|DE|EX)$'",
      }),
    ).toEqual(
      expect.objectContaining({
        field: 'response.body.status_code',
        actual: "'IN_TRANSIT'",
        expected: "match '^(UN|AC|IT|DE|EX)$'",
      }),
    );
    expect(
      fromVerifierMismatch({
        type: 'StatusMismatch',
        expected: 200,
        actual: 415,
        mismatch: 'expected 200 but was 415',
      }),
    ).toEqual(expect.objectContaining({ field: 'response.status', expected: '200', actual: '415' }));
    expect(
      fromVerifierMismatch({
        type: 'BodyMismatch',
        path: '$.entity',
        mismatch: 'Actual map is missing the following keys: uuid',
      }),
    ).toEqual(expect.objectContaining({ field: 'response.body.entity' }));
  });
});

describe('fieldMismatchesOf', () => {
  it('names each missing key of a body as its own field (a renamed field reads as the old one missing)', () => {
    // Captured from Pact 16.5's verifier against Kestrel's depot with holdId renamed.
    const mismatch = {
      type: 'BodyMismatch',
      path: '$',
      expected: '["holdId","lines","reference"]',
      actual: '["holdRef","lines","reference"]',
      mismatch: 'Actual map is missing the following keys: holdId',
    };
    expect(fieldMismatchesOf(mismatch)).toEqual([
      {
        field: 'response.body.holdId',
        expected: 'present',
        actual: 'missing (the body has ["holdRef","lines","reference"])',
        message: 'Actual map is missing the following keys: holdId',
      },
    ]);
    expect(
      fieldMismatchesOf({
        ...mismatch,
        path: '$.entity',
        mismatch: 'Actual map is missing the following keys: uuid, id',
      }).map((m) => m.field),
    ).toEqual(['response.body.entity.uuid', 'response.body.entity.id']);
  });

  it('leaves any other mismatch to fromVerifierMismatch', () => {
    const status = {
      type: 'StatusMismatch',
      expected: 201,
      actual: 401,
      mismatch: 'expected 201 but was 401',
    };
    expect(fieldMismatchesOf(status)).toEqual([fromVerifierMismatch(status)]);
  });
});
