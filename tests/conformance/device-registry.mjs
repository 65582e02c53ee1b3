// The walkthrough's namespace and policy steps through @azure/arm-resources' generic resource operations, unchanged:
// its long-running-operation poller follows Outpost's Azure-AsyncOperation and Location answers to the end.
// (No @azure/arm-deviceregistry package is published; the generic client speaks the same ARM protocol.)
import { ResourceManagementClient } from "@azure/arm-resources";
import { credential, endpoint, expect, subscriptionId } from "./outpost-env.mjs";

const apiVersion = "2025-11-01-preview";
const client = new ResourceManagementClient(credential, subscriptionId, { endpoint });
const group = `sdk-adr-rg-${Date.now()}`;
await client.resourceGroups.createOrUpdate(group, { location: "eastus" });

const namespaceId = `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.DeviceRegistry/namespaces/sdk-namespace`;
const namespace = await client.resources.createOrUpdateById(namespaceId, apiVersion, { location: "eastus", identity: { type: "SystemAssigned" } });
expect(namespace.properties?.provisioningState === "Succeeded", `namespace create returned ${JSON.stringify(namespace)}`);
expect(namespace.identity?.principalId, `the namespace has no principalId: ${JSON.stringify(namespace.identity)}`);

const defaultPolicy = await client.resources.getById(`${namespaceId}/credentials/default/policies/default`, apiVersion);
expect(defaultPolicy.properties?.certificate?.certificateAuthorityConfiguration?.keyType === "ECC", `default policy: ${JSON.stringify(defaultPolicy)}`);

const policyId = `${namespaceId}/credentials/default/policies/sdk-policy`;
const policy = await client.resources.createOrUpdateById(policyId, apiVersion, {
  properties: { certificate: { certificateAuthorityConfiguration: { keyType: "ECC" }, leafCertificateConfiguration: { validityPeriodInDays: 30 } } },
});
expect(policy.properties?.certificate?.certificateAuthorityConfiguration?.subject, `custom policy has no CA subject: ${JSON.stringify(policy)}`);

const patched = await client.resources.updateById(policyId, apiVersion, {
  properties: { certificate: { leafCertificateConfiguration: { validityPeriodInDays: 45 } } },
});
expect(patched.properties?.certificate?.leafCertificateConfiguration?.validityPeriodInDays === 45, `policy PATCH returned ${JSON.stringify(patched)}`);

let refusal;
try {
  await client.resources.updateById(policyId, apiVersion, { properties: { certificate: { certificateAuthorityConfiguration: { keyType: "RSA" } } } });
} catch (error) {
  refusal = error;
}
expect(refusal?.statusCode === 400 && refusal.code === "PropertyChangeNotAllowed", `keyType PATCH was not refused: ${refusal?.statusCode} ${refusal?.code}`);

await client.resources.deleteById(policyId, apiVersion);
const policyExists = await client.resources.checkExistenceById(policyId, apiVersion);
expect(policyExists.body === false, `the policy still exists after deleteById: ${JSON.stringify(policyExists)}`);
await client.resources.deleteById(namespaceId, apiVersion);
await client.resourceGroups.delete(group);
console.log("namespace, default policy, custom policy, PATCH, refused keyType and deletes all passed");
