// @azure/arm-resources, unchanged, manages resource groups on Outpost: create, read, check, list, tag, delete (a
// long-running operation the SDK polls to completion).
import { ResourceManagementClient } from "@azure/arm-resources";
import { credential, endpoint, expect, subscriptionId } from "./outpost-env.mjs";

const client = new ResourceManagementClient(credential, subscriptionId, { endpoint });
const name = `sdk-rg-${Date.now()}`;

const created = await client.resourceGroups.createOrUpdate(name, { location: "westeurope", tags: { owner: "conformance" } });
expect(created.name === name && created.properties?.provisioningState === "Succeeded", `createOrUpdate returned ${JSON.stringify(created)}`);

const fetched = await client.resourceGroups.get(name);
expect(fetched.location === "westeurope" && fetched.tags?.owner === "conformance", `get returned ${JSON.stringify(fetched)}`);

const exists = await client.resourceGroups.checkExistence(name);
expect(exists.body === true, `checkExistence(${name}) returned ${JSON.stringify(exists)}`);
const missing = await client.resourceGroups.checkExistence(`${name}-missing`);
expect(missing.body === false, `checkExistence of a missing group returned ${JSON.stringify(missing)}`);

const names = [];
for await (const group of client.resourceGroups.list()) {
  names.push(group.name);
}
expect(names.includes(name), `list did not include ${name}: ${names}`);

const tagged = await client.resourceGroups.update(name, { tags: { owner: "conformance", stage: "tagged" } });
expect(tagged.tags?.stage === "tagged", `update returned ${JSON.stringify(tagged)}`);

await client.resourceGroups.delete(name);
let gone = false;
try {
  await client.resourceGroups.get(name);
} catch (error) {
  gone = error.statusCode === 404 && error.code === "ResourceGroupNotFound";
  expect(gone, `get after delete failed unexpectedly: ${error.statusCode} ${error.code} ${error.message}`);
}
expect(gone, "the resource group still exists after delete");
console.log(`resource group ${name} created, read, listed, tagged and deleted`);
