// azure-iot-provisioning-service, unchanged, manages enrollment groups and individual enrollments on Outpost's DPS
// service API (on port 443, the only port the SDK reaches). DPS_CONNECTION_STRING comes from the instance's listkeys.
import provisioningService from "azure-iot-provisioning-service";
import { expect } from "./outpost-env.mjs";

const client = provisioningService.ProvisioningServiceClient.fromConnectionString(process.env.DPS_CONNECTION_STRING);

const group = await client.createOrUpdateEnrollmentGroup({
  enrollmentGroupId: "sdk-sensors",
  attestation: { type: "symmetricKey", symmetricKey: { primaryKey: "", secondaryKey: "" } },
  provisioningStatus: "enabled",
});
const groupKey = group.responseBody.attestation.symmetricKey.primaryKey;
expect(groupKey && Buffer.from(groupKey, "base64").length >= 16, `group create returned ${JSON.stringify(group.responseBody)}`);
const fetched = await client.getEnrollmentGroup("sdk-sensors");
expect(fetched.responseBody.attestation.symmetricKey.primaryKey === groupKey, "getEnrollmentGroup returned other keys");

for (const registrationId of ["sdk-device-1", "sdk-device-2", "sdk-device-3"]) {
  await client.createOrUpdateIndividualEnrollment({ registrationId, attestation: { type: "symmetricKey", symmetricKey: { primaryKey: "", secondaryKey: "" } } });
}
const query = client.createIndividualEnrollmentQuery({ query: "*" }, 2);
const seen = [];
while (query.hasMoreResults) {
  // The promise form of next() forgets the continuation unless it is passed back (the SDK's own quirk, on Azure too).
  const page = await query.next(query.continuationToken);
  seen.push(...page.responseBody.map((enrollment) => enrollment.registrationId));
}
expect(["sdk-device-1", "sdk-device-2", "sdk-device-3"].every((id) => seen.includes(id)), `query paged through ${seen}`);

const mechanism = await client.getIndividualEnrollmentAttestationMechanism("sdk-device-2");
expect(mechanism.responseBody.type === "symmetricKey", `attestation mechanism: ${JSON.stringify(mechanism.responseBody)}`);

const updated = await client.createOrUpdateEnrollmentGroup({ ...fetched.responseBody, provisioningStatus: "disabled" });
expect(updated.responseBody.provisioningStatus === "disabled", "update with etag did not apply");

await client.deleteIndividualEnrollment("sdk-device-1");
let missing;
try {
  await client.getIndividualEnrollment("sdk-device-1");
} catch (error) {
  missing = error;
}
expect(missing?.response?.statusCode === 404 || missing?.name === "DeviceNotFoundError", `get after delete: ${missing?.name} ${missing?.message}`);
await client.deleteEnrollmentGroup("sdk-sensors");
console.log(`enrollment group and ${seen.length} enrollments managed`);
// The SDK keeps its HTTPS connections alive; nothing else is pending, so end here.
process.exit(0);
