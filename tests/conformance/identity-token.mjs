// @azure/identity's ClientSecretCredential against Outpost's token endpoint, then one management call with the token.
// Environment: OUTPOST_AUTHORITY (https://localhost:PORT), AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
// AZURE_SUBSCRIPTION_ID, and NODE_EXTRA_CA_CERTS pointing at the server's tls/ca.pem.
import { ClientSecretCredential } from "@azure/identity";

const authority = process.env.OUTPOST_AUTHORITY;
const credential = new ClientSecretCredential(process.env.AZURE_TENANT_ID, process.env.AZURE_CLIENT_ID, process.env.AZURE_CLIENT_SECRET, {
  authorityHost: authority,
  disableInstanceDiscovery: true,
});

const token = await credential.getToken("https://management.azure.com/.default");
if (!token?.token) {
  throw new Error("ClientSecretCredential returned no token");
}

const subscriptionId = process.env.AZURE_SUBSCRIPTION_ID;
const response = await fetch(`${authority}/subscriptions/${subscriptionId}?api-version=2022-12-01`, {
  headers: { authorization: `Bearer ${token.token}` },
});
const body = await response.json();
if (response.status !== 200) {
  throw new Error(`GET subscription answered ${response.status}: ${JSON.stringify(body)}`);
}
console.log(`subscription ${body.subscriptionId} ${body.state}`);
