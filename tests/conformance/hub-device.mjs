// azure-iot-device and azure-iothub, unchanged, against an Outpost hub: the service creates (or finds) a device with
// Registry, the device connects over MQTT (TRANSPORT=mqtt, the MQTT listener's port) or MQTT over WebSockets
// (TRANSPORT=mqttws, port 443) with a SAS key (AUTH=sas), a self-signed certificate (AUTH=selfSigned) or a
// CA-issued certificate (AUTH=ca, the device exists already); then telemetry is read back from the event log with its
// properties, the twin is read, patched both ways and queried, a direct method is invoked with Client.invokeDeviceMethod and
// a cloud-to-device message is sent through Outpost's REST extension and received.
import crypto from "node:crypto";
import iothub from "azure-iothub";
import deviceSdk from "azure-iot-device";
import deviceMqtt from "azure-iot-device-mqtt";
import { expect } from "./outpost-env.mjs";

const serviceConnectionString = process.env.HUB_CONNECTION_STRING;
const fields = Object.fromEntries(serviceConnectionString.split(";").map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
const host = fields.HostName;
const deviceId = process.env.DEVICE_ID;
const auth = process.env.AUTH;
const transport = process.env.TRANSPORT;

const registry = iothub.Registry.fromConnectionString(serviceConnectionString);
let deviceKey;
if (auth === "sas") {
  const created = await registry.create({ deviceId });
  deviceKey = created.responseBody.authentication.symmetricKey.primaryKey;
  expect(deviceKey, `Registry.create returned no generated key: ${JSON.stringify(created.responseBody)}`);
} else if (auth === "selfSigned") {
  await registry.create({ deviceId, authentication: { x509Thumbprint: { primaryThumbprint: process.env.THUMBPRINT } } });
}

const fetched = (await registry.get(deviceId)).responseBody;
expect(fetched.deviceId === deviceId && fetched.status === "enabled", `Registry.get returned ${JSON.stringify(fetched)}`);
// update replaces the whole device, so it is sent the device as read, with one change.
const updated = (await registry.update({ ...fetched, statusReason: "conformance" })).responseBody;
expect(updated.statusReason === "conformance", `Registry.update did not keep statusReason: ${JSON.stringify(updated)}`);

const mqttHost = transport === "mqttws" ? host : `${host}:${process.env.MQTT_PORT}`;
const deviceConnectionString = auth === "sas"
  ? `HostName=${mqttHost};DeviceId=${deviceId};SharedAccessKey=${deviceKey}`
  : `HostName=${mqttHost};DeviceId=${deviceId};x509=true`;
const client = deviceSdk.Client.fromConnectionString(deviceConnectionString, transport === "mqttws" ? deviceMqtt.MqttWs : deviceMqtt.Mqtt);
if (auth !== "sas") {
  client.setOptions({ cert: process.env.DEVICE_CERT, key: process.env.DEVICE_KEY });
}
await client.open();

// Direct method: answered by the device, invoked by the service over REST.
client.onDeviceMethod("reboot", (request, response) => response.send(200, { rebootIn: request.payload.delay }, () => {}));

// Twin: reported patch from the device, desired patch from the service, pushed to the device.
const twin = await client.getTwin();
const desiredSeen = new Promise((resolve) => twin.on("properties.desired", (desired) => { if (desired.color === "blue") resolve(desired); }));
await new Promise((resolve, reject) => twin.properties.reported.update({ firmware: "1.2.0" }, (error) => (error ? reject(error) : resolve())));
const serviceTwin = (await registry.getTwin(deviceId)).responseBody;
expect(serviceTwin.properties.reported.firmware === "1.2.0", `the service twin lacks the reported patch: ${JSON.stringify(serviceTwin.properties)}`);
await serviceTwin.update({ tags: { site: "conformance" }, properties: { desired: { color: "blue" } } });
const desired = await desiredSeen;
const query = registry.createQuery("SELECT * FROM devices WHERE tags.site = 'conformance' AND properties.reported.firmware = '1.2.0'", 10);
const matched = (await query.nextAsTwin()).result;
expect(matched.length === 1 && matched[0].deviceId === deviceId && !query.hasMoreResults, `the twin query returned ${JSON.stringify(matched)}`);
expect(desired.$version >= 2, `the desired patch came without a $version: ${JSON.stringify(desired)}`);
const refreshed = await client.getTwin();
expect(refreshed.properties.desired.color === "blue", `getTwin after the patch: ${JSON.stringify(refreshed.properties.desired)}`);

// Telemetry with system and application properties.
const message = new deviceSdk.Message(JSON.stringify({ temperature: 21.5 }));
message.messageId = `${deviceId}-m1`;
message.contentType = "application/json";
message.contentEncoding = "utf-8";
message.properties.add("alert", "hi there");
await client.sendEvent(message);

const methodResult = await iothub.Client.fromConnectionString(serviceConnectionString).invokeDeviceMethod(deviceId,
  { methodName: "reboot", payload: { delay: 5 }, responseTimeoutInSeconds: 30 });
expect(methodResult.result.status === 200 && methodResult.result.payload.rebootIn === 5, `invokeDeviceMethod returned ${JSON.stringify(methodResult.result)}`);

// Cloud-to-device: the device subscribes by listening; the queue holds the message until it does.
const received = new Promise((resolve) => client.on("message", (incoming) => { client.complete(incoming, () => {}); resolve(incoming); }));
const sent = await serviceFetch(`/devices/${encodeURIComponent(deviceId)}/messages/deviceBound`, "POST", "switch on", {
  "iothub-messageid": "c2d-1", "iothub-app-command": "power", "Content-Type": "text/plain",
});
expect(sent.status === 204, `sending the cloud-to-device message answered ${sent.status}: ${await sent.text()}`);
const incoming = await received;
expect(incoming.data.toString() === "switch on" && incoming.messageId === "c2d-1", `the device received ${incoming.data} (${incoming.messageId})`);
expect(incoming.properties.getValue("command") === "power", `the C2D application property is missing: ${JSON.stringify(incoming.properties)}`);

// The telemetry, read back from the built-in event log over HTTPS.
const partitions = await (await serviceFetch("/events/partitions")).json();
let event;
for (const partition of partitions.partitions) {
  const page = await (await serviceFetch(`/events/consumerGroups/$Default/partitions/${partition.id}?from=earliest&maxCount=1000`)).json();
  event = page.events.find((candidate) => candidate.systemProperties["message-id"] === `${deviceId}-m1`) ?? event;
}
expect(event, `the telemetry message is not in the event log: ${JSON.stringify(partitions)}`);
expect(event.deviceId === deviceId && event.systemProperties["iothub-connection-device-id"] === deviceId, `wrong device on the event: ${JSON.stringify(event)}`);
expect(event.properties.alert === "hi there" && event.systemProperties["content-type"] === "application/json", `properties lost: ${JSON.stringify(event)}`);
expect(JSON.parse(event.bodyText).temperature === 21.5 && event.systemProperties["iothub-enqueuedtime"], `body or enqueued time lost: ${JSON.stringify(event)}`);

await client.close();
const devices = (await registry.list()).responseBody;
expect(devices.some((listed) => listed.deviceId === deviceId), `Registry.list lacks ${deviceId}`);
if (auth !== "ca") {
  await registry.delete(deviceId);
}
console.log(`${deviceId}: ${auth} over ${transport}: telemetry, twin, method and C2D conform`);
process.exit(0);

/** A call to the hub's service API signed with the connection string's policy, as azure-iothub signs its own. */
function serviceFetch(path, method = "GET", body = undefined, headers = {}) {
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const signature = crypto.createHmac("sha256", Buffer.from(fields.SharedAccessKey, "base64")).update(`${encodeURIComponent(host)}\n${expiry}`).digest("base64");
  const token = `SharedAccessSignature sr=${encodeURIComponent(host)}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=${fields.SharedAccessKeyName}`;
  const separator = path.includes("?") ? "&" : "?";
  return fetch(`https://${host}${path}${separator}api-version=2021-04-12`, { method, body, headers: { Authorization: token, ...headers } });
}
