using System.Text.Json.Nodes;

namespace Outpost.Portal.Components.Provisioning;

/// <summary>The Add enrollment form, and the enrollment it becomes in the DPS service API's shape.</summary>
internal sealed class EnrollmentForm
{
    public string Attestation { get; set; } = "symmetricKey";

    public string Id { get; set; } = string.Empty;

    public string Status { get; set; } = "enabled";

    public string Reprovision { get; set; } = "migrate";

    public string Allocation { get; set; } = "hashed";

    public HashSet<string> Hubs { get; } = [];

    public string InitialTwin { get; set; } = "{\n  \"tags\": {},\n  \"properties\": { \"desired\": {} }\n}";

    public bool IotEdge { get; set; }

    public string Policy { get; set; } = string.Empty;

    public string? PrimaryCertificate { get; set; }

    public string? SecondaryCertificate { get; set; }

    public string? PrimaryFileName { get; set; }

    public string? SecondaryFileName { get; set; }

    public JsonObject ToJson(bool group)
    {
        var body = new JsonObject
        {
            [group ? "enrollmentGroupId" : "registrationId"] = Id.Trim(),
            ["attestation"] = AttestationJson(group),
            ["provisioningStatus"] = Status,
            ["reprovisionPolicy"] = new JsonObject { ["updateHubAssignment"] = Reprovision != "never", ["migrateDeviceData"] = Reprovision == "migrate" },
            ["allocationPolicy"] = Allocation,
            ["initialTwin"] = JsonNode.Parse(InitialTwin.Trim().Length == 0 ? "{}" : InitialTwin),
            ["capabilities"] = new JsonObject { ["iotEdge"] = IotEdge },
        };
        if (Hubs.Count > 0)
        {
            body["iotHubs"] = new JsonArray([.. Hubs.Select(hub => (JsonNode)hub)]);
        }

        if (Policy.Length > 0)
        {
            body["credentialPolicyName"] = Policy;
        }

        return body;
    }

    private JsonObject AttestationJson(bool group)
    {
        if (Attestation != "x509")
        {
            return new JsonObject { ["type"] = Attestation };
        }

        var certificates = new JsonObject();
        if (PrimaryCertificate is not null)
        {
            certificates["primary"] = new JsonObject { ["certificate"] = PrimaryCertificate };
        }

        if (SecondaryCertificate is not null)
        {
            certificates["secondary"] = new JsonObject { ["certificate"] = SecondaryCertificate };
        }

        return new JsonObject { ["type"] = "x509", ["x509"] = new JsonObject { [group ? "signingCertificates" : "clientCertificates"] = certificates } };
    }
}
