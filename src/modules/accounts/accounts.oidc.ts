/**
 * OpenID Connect sign-in (GOV.UK One Login or any provider), behind configuration (`config.oidcEnabled`).
 * Authorization code flow with PKCE (S256), `state` and `nonce`; client authentication by `private_key_jwt`
 * when OIDC_PRIVATE_KEY is set (GOV.UK One Login requires it), otherwise `client_secret_basic`. Plain http is
 * allowed only for an issuer on the loopback interface (a local mock in tests and development).
 */
import * as client from 'openid-client';
import { importJWK, type JWK } from 'jose';
import type { Config } from '../../config.ts';
import { accountPaths } from './accounts.paths.ts';

/** What the start step remembers (in a short-lived signed cookie) for the callback to check. */
export interface OidcFlowState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

/** The person as the provider vouches for them. */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
}

function isLoopbackHttp(url: URL): boolean {
  return (
    url.protocol === 'http:' &&
    (url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.'))
  );
}

export function createOidcClient(config: Config) {
  let discovered: Promise<client.Configuration> | null = null;
  const redirectUri = `${config.BASE_URL}${accountPaths.oidcCallback()}`;

  async function discover(): Promise<client.Configuration> {
    const issuer = new URL(config.OIDC_ISSUER!);
    let auth: client.ClientAuth;
    if (config.OIDC_PRIVATE_KEY) {
      const jwk = JSON.parse(config.OIDC_PRIVATE_KEY) as JWK;
      const key = await importJWK(jwk, jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : 'RS256'));
      auth = client.PrivateKeyJwt({ key, kid: jwk.kid } as Parameters<typeof client.PrivateKeyJwt>[0]);
    } else {
      auth = client.ClientSecretBasic(config.OIDC_CLIENT_SECRET);
    }
    const options = isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : undefined;
    return client.discovery(issuer, config.OIDC_CLIENT_ID!, undefined, auth, options);
  }

  async function configuration(): Promise<client.Configuration> {
    discovered ??= discover().catch((error: unknown) => {
      // Try again on the next sign-in rather than remembering an outage for ever.
      discovered = null;
      throw error;
    });
    return discovered;
  }

  return {
    enabled: config.oidcEnabled,
    name: config.OIDC_NAME,

    /** The provider's authorisation address and the state to keep for the callback. */
    async start(returnTo: string): Promise<{ url: string; flow: OidcFlowState }> {
      const oidc = await configuration();
      const flow: OidcFlowState = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        returnTo,
      };
      const url = client.buildAuthorizationUrl(oidc, {
        redirect_uri: redirectUri,
        scope: config.OIDC_SCOPES,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.href, flow };
    },

    /** Exchanges the code, checking state, nonce and PKCE; throws when anything does not match. */
    async finish(callbackUrl: URL, flow: OidcFlowState): Promise<ExternalIdentity> {
      const oidc = await configuration();
      const tokens = await client.authorizationCodeGrant(oidc, callbackUrl, {
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        pkceCodeVerifier: flow.verifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('No ID token claims');
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : undefined,
      };
    },
  };
}
export type OidcClient = ReturnType<typeof createOidcClient>;
