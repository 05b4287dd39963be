// SPDX-License-Identifier: Apache-2.0
// Throw-away certificates for TLS tests: a self-signed serving certificate for 127.0.0.1 that also signs a client
// certificate. EC keys keep generation fast (RSA 2048 takes about a second).
import { generate } from 'selfsigned';

export interface TestCertificates {
  /** Serving key and certificate; the certificate is also the CA clients and the server trust. */
  readonly key: string;
  readonly cert: string;
  /** A client certificate signed by `cert`, with common name `clientCN`. */
  readonly clientKey: string;
  readonly clientCert: string;
  readonly clientCN: string;
}

export async function testCertificates(clientCN = 'krm-client'): Promise<TestCertificates> {
  const pems = await generate([{ name: 'commonName', value: 'krm-fake-api' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    clientCertificate: { cn: clientCN },
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  if (!pems.clientprivate || !pems.clientcert) throw new Error('selfsigned returned no client certificate');
  return { key: pems.private, cert: pems.cert, clientKey: pems.clientprivate, clientCert: pems.clientcert, clientCN };
}
