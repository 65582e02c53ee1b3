// azure-iot-provisioning-device, unchanged, registers a device of a symmetric-key enrollment group on Outpost, with
// the transport named by TRANSPORT (http: port 443 only, as the SDK allows; mqtt: PROVISIONING_HOST may carry a port).
// The device key is derived from the group key the way Azure's samples derive it.
import crypto from "node:crypto";
import provisioningDevice from "azure-iot-provisioning-device";
import provisioningHttp from "azure-iot-provisioning-device-http";
import provisioningMqtt from "azure-iot-provisioning-device-mqtt";
import symmetricKey from "azure-iot-security-symmetric-key";

const registrationId = process.env.REGISTRATION_ID;
const deviceKey = crypto.createHmac("SHA256", Buffer.from(process.env.GROUP_KEY, "base64")).update(registrationId, "utf8").digest("base64");
const transport = process.env.TRANSPORT === "mqtt" ? new provisioningMqtt.Mqtt() : new provisioningHttp.Http();
const security = new symmetricKey.SymmetricKeySecurityClient(registrationId, deviceKey);
const client = provisioningDevice.ProvisioningDeviceClient.create(process.env.PROVISIONING_HOST, process.env.ID_SCOPE, transport, security);
client.setProvisioningPayload({ site: "conformance" });

const result = await client.register();
if (result.status !== "assigned" || result.deviceId !== registrationId || !result.assignedHub) {
  throw new Error(`registration returned ${JSON.stringify(result)}`);
}
console.log(`${registrationId} assigned to ${result.assignedHub} over ${process.env.TRANSPORT}`);
process.exit(0);
