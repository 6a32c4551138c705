// OAuth 1.0a signing against documented vectors: RFC 5849 §3.4.1.1 (base string), RFC 5849 §1.2
// (HMAC-SHA1 signature) and X's "Creating a signature" page (base string and signature).
import { describe, expect, it } from 'vitest';
import { oauth1BaseString, oauth1Header, oauth1Signature, percentEncode } from '../src/index.js';

describe('OAuth 1.0a (RFC 5849)', () => {
  it('builds the §3.4.1.1 signature base string exactly', () => {
    const base = oauth1BaseString(
      {
        method: 'POST',
        url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
        form: [
          ['c2', ''],
          ['a3', '2 q'],
        ],
      },
      [
        ['realm', 'Example'],
        ['oauth_consumer_key', '9djdj82h48djs9d2'],
        ['oauth_token', 'kkk9d7dh3k39sjv7'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '137131201'],
        ['oauth_nonce', '7d8f3e4a'],
        ['oauth_signature', 'bYT5CMsGcbgUdFHObYMEfcx6bsw%3D'],
      ],
    );
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('signs the §1.2 photos example to its documented signature', () => {
    const header = oauth1Header(
      { method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original' },
      {
        consumerKey: 'dpf43f3p2l4k3l03',
        consumerSecret: 'kd94hf93k423kf44',
        token: 'nnch734d00sl2jdk',
        tokenSecret: 'pfkkdhi9sl3r4s00',
      },
      { nonce: 'chapoH', timestamp: 137131202, version: null },
    );
    expect(header).toContain('oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"');
  });

  it("matches X's documented example (Creating a signature)", () => {
    const header = oauth1Header(
      {
        method: 'POST',
        url: 'https://api.twitter.com/1/statuses/update.json?include_entities=true',
        form: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
      },
      {
        consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
        consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
      { nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958 },
    );
    expect(header).toContain(`oauth_signature="${percentEncode('tnnArxj06cWHq44gCs1OSKk/jLY=')}"`);
    expect(header.startsWith('OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"')).toBe(true);
  });

  it('a changed byte anywhere changes the signature', () => {
    const base = 'GET&https%3A%2F%2Fapi.x.com%2F2%2Fusers%2Fme&a%3D1';
    const good = oauth1Signature(base, 'cs', 'ts');
    expect(oauth1Signature(base.replace('a%3D1', 'a%3D2'), 'cs', 'ts')).not.toBe(good);
    expect(oauth1Signature(base, 'cs', 'tt')).not.toBe(good);
  });

  it('percent-encodes per §3.6 (reserved, Arabic, and the characters encodeURIComponent leaves)', () => {
    expect(percentEncode("!*'()~._-")).toBe('%21%2A%27%28%29~._-');
    expect(percentEncode('مرحبا ')).toBe('%D9%85%D8%B1%D8%AD%D8%A8%D8%A7%20');
  });
});
