// @azure/identity's ClientSecretCredential against Outpost's token endpoint, then one management call with the token.
import { credential, endpoint, expect, subscriptionId } from "./outpost-env.mjs";

const token = await credential.getToken("https://management.azure.com/.default");
expect(token?.token, "ClientSecretCredential returned no token");

const response = await fetch(`${endpoint}/subscriptions/${subscriptionId}?api-version=2022-12-01`, {
  headers: { authorization: `Bearer ${token.token}` },
});
const body = await response.json();
expect(response.status === 200, `GET subscription answered ${response.status}: ${JSON.stringify(body)}`);
console.log(`subscription ${body.subscriptionId} ${body.state}`);
