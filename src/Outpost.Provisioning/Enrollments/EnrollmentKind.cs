namespace Outpost.Provisioning.Enrollments;

/// <summary>An individual enrollment (one device, by registration id) or an enrollment group (devices sharing an attestation).</summary>
internal sealed record EnrollmentKind(string IdProperty, string Segment, string Type, string Noun)
{
    public static readonly EnrollmentKind Individual = new("registrationId", "enrollments", "Microsoft.Devices/provisioningServices/enrollments", "enrollment");

    public static readonly EnrollmentKind Group = new("enrollmentGroupId", "enrollmentGroups", "Microsoft.Devices/provisioningServices/enrollmentGroups", "enrollment group");

    public string Id(string instanceId, string name) => $"{instanceId}/{Segment}/{name.ToLowerInvariant()}";
}
