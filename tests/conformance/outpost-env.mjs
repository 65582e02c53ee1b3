// Shared by the conformance scripts: the credential and endpoint every official client is given, from the
// environment the integration tests set (OUTPOST_AUTHORITY, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
// AZURE_SUBSCRIPTION_ID, and NODE_EXTRA_CA_CERTS pointing at the server's tls/ca.pem).
import { ClientSecretCredential } from "@azure/identity";

export const endpoint = process.env.OUTPOST_AUTHORITY;
export const subscriptionId = process.env.AZURE_SUBSCRIPTION_ID;
export const credential = new ClientSecretCredential(process.env.AZURE_TENANT_ID, process.env.AZURE_CLIENT_ID, process.env.AZURE_CLIENT_SECRET, {
  authorityHost: endpoint,
  disableInstanceDiscovery: true,
});

export function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}
