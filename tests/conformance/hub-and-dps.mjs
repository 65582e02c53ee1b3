// @azure/arm-iothub and @azure/arm-deviceprovisioningservices, unchanged, create a hub and a DPS instance on Outpost,
// read them, list their keys, tag them and delete them (each create and delete is a long-running operation the SDK polls).
import { ResourceManagementClient } from "@azure/arm-resources";
import { IotHubClient } from "@azure/arm-iothub";
import { IotDpsClient } from "@azure/arm-deviceprovisioningservices";
import { credential, endpoint, expect, subscriptionId } from "./outpost-env.mjs";

const resources = new ResourceManagementClient(credential, subscriptionId, { endpoint });
const hubs = new IotHubClient(credential, subscriptionId, { endpoint, $host: endpoint });
const dpsClient = new IotDpsClient(credential, subscriptionId, { endpoint });
const stamp = Date.now().toString(36);
const group = `sdk-hub-rg-${stamp}`;
const hubName = `sdk-hub-${stamp}`;
const dpsName = `sdk-dps-${stamp}`;
await resources.resourceGroups.createOrUpdate(group, { location: "westus" });

// IoT hub
const free = await hubs.iotHubResource.checkNameAvailability({ name: hubName });
expect(free.nameAvailable === true, `checkNameAvailability before create: ${JSON.stringify(free)}`);
const hub = await hubs.iotHubResource.beginCreateOrUpdateAndWait(group, hubName, { location: "westus", sku: { name: "S1", capacity: 2 } });
expect(hub.properties?.hostName?.startsWith(`${hubName}.`) && hub.sku?.tier === "Standard", `hub create returned ${JSON.stringify(hub)}`);
const taken = await hubs.iotHubResource.checkNameAvailability({ name: hubName });
expect(taken.nameAvailable === false && taken.reason === "AlreadyExists", `checkNameAvailability after create: ${JSON.stringify(taken)}`);

const hubKeys = [];
for await (const rule of hubs.iotHubResource.listKeys(group, hubName)) {
  hubKeys.push(rule);
}
expect(hubKeys.length === 5 && hubKeys.every((rule) => rule.primaryKey && rule.secondaryKey), `hub listKeys: ${JSON.stringify(hubKeys.map((rule) => rule.keyName))}`);
const owner = await hubs.iotHubResource.getKeysForKeyName(group, hubName, "iothubowner");
expect(owner.rights === "RegistryWrite, ServiceConnect, DeviceConnect", `iothubowner rights: ${owner.rights}`);
const quotas = [];
for await (const metric of hubs.iotHubResource.listQuotaMetrics(group, hubName)) {
  quotas.push(metric);
}
expect(quotas.find((metric) => metric.name === "TotalMessages")?.maxValue === 800000, `quota metrics: ${JSON.stringify(quotas)}`);
const taggedHub = await hubs.iotHubResource.beginUpdateAndWait(group, hubName, { tags: { stage: "conformance" } });
expect(taggedHub.tags?.stage === "conformance", `hub tag update returned ${JSON.stringify(taggedHub.tags)}`);

// Device Provisioning Service
const dps = await dpsClient.iotDpsResource.createOrUpdate(group, dpsName, { location: "westus", sku: { name: "S1", capacity: 1 }, properties: {} });
expect(/^0ne[0-9A-F]{8}$/.test(dps.properties?.idScope ?? ""), `DPS create returned ${JSON.stringify(dps)}`);
const fetchedDps = await dpsClient.iotDpsResource.get(group, dpsName);
expect(fetchedDps.properties?.serviceOperationsHostName?.startsWith(`${dpsName}.`), `DPS get returned ${JSON.stringify(fetchedDps)}`);
const dpsKeys = [];
for await (const rule of dpsClient.iotDpsResource.listKeys(dpsName, group)) {
  dpsKeys.push(rule);
}
expect(dpsKeys.length === 1 && dpsKeys[0].keyName === "provisioningserviceowner" && dpsKeys[0].primaryKey, `DPS listKeys: ${JSON.stringify(dpsKeys.map((rule) => rule.keyName))}`);
const taggedDps = await dpsClient.iotDpsResource.update(group, dpsName, { tags: { stage: "conformance" } });
expect(taggedDps.tags?.stage === "conformance", `DPS tag update returned ${JSON.stringify(taggedDps.tags)}`);

// Deletes, then proof they are gone.
await dpsClient.iotDpsResource.delete(group, dpsName);
await hubs.iotHubResource.beginDeleteAndWait(group, hubName);
let hubGone = false;
try {
  await hubs.iotHubResource.get(group, hubName);
} catch (error) {
  hubGone = error.statusCode === 404;
}
expect(hubGone, "the hub still exists after delete");
let dpsGone = false;
try {
  await dpsClient.iotDpsResource.get(group, dpsName);
} catch (error) {
  dpsGone = error.statusCode === 404;
}
expect(dpsGone, "the DPS instance still exists after delete");
await resources.resourceGroups.delete(group);
console.log(`hub ${hubName} and DPS ${dpsName} created, listed keys, tagged and deleted`);
