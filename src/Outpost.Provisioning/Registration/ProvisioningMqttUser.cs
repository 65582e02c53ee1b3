using System.Text.RegularExpressions;

namespace Outpost.Provisioning.Registration;

/// <summary>A DPS MQTT user name: <c>{idScope}/registrations/{registrationId}/api-version=…[&amp;ClientVersion=…]</c>.</summary>
internal sealed partial record ProvisioningMqttUser(string IdScope, string RegistrationId)
{
    public static ProvisioningMqttUser? Parse(string? userName)
    {
        var match = userName is null ? null : Pattern().Match(userName);
        return match is { Success: true } ? new ProvisioningMqttUser(match.Groups["scope"].Value, match.Groups["id"].Value) : null;
    }

    [GeneratedRegex("^(?<scope>[^/]+)/registrations/(?<id>[^/]+)/api-version=")]
    private static partial Regex Pattern();
}
