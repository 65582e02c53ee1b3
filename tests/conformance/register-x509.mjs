// azure-iot-provisioning-device, unchanged, registers a device of an X.509 intermediate-CA enrollment group on
// Outpost with the transport named by TRANSPORT. DEVICE_CERT is the device's PEM chain (leaf, then intermediate) and
// DEVICE_KEY its private key in PEM, as an application would read them from disk.
import provisioningDevice from "azure-iot-provisioning-device";
import provisioningHttp from "azure-iot-provisioning-device-http";
import provisioningMqtt from "azure-iot-provisioning-device-mqtt";
import x509 from "azure-iot-security-x509";

const registrationId = process.env.REGISTRATION_ID;
const transport = process.env.TRANSPORT === "mqtt" ? new provisioningMqtt.Mqtt() : new provisioningHttp.Http();
const security = new x509.X509Security(registrationId, { cert: process.env.DEVICE_CERT, key: process.env.DEVICE_KEY });
const client = provisioningDevice.ProvisioningDeviceClient.create(process.env.PROVISIONING_HOST, process.env.ID_SCOPE, transport, security);

const result = await client.register();
if (result.status !== "assigned" || result.deviceId !== registrationId) {
  throw new Error(`registration returned ${JSON.stringify(result)}`);
}
console.log(`${registrationId} assigned to ${result.assignedHub} over ${process.env.TRANSPORT} with X.509`);
process.exit(0);
