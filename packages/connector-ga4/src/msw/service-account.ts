import { generateKeyPairSync } from 'node:crypto';
import type { FakeServiceAccount } from './fixtures.js';

/** A fresh RSA service account key (PKCS#8 PEM) and its public key, for the fake token endpoint. */
export function createFakeServiceAccount(email = 'hmi-reports@hospital-analytics.iam.gserviceaccount.com'): FakeServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    client_email: email,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    private_key_id: 'fake-key-1',
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
