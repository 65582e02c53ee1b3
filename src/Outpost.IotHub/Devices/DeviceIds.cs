namespace Outpost.IotHub.Devices;

/// <summary>
/// IoT Hub's device id rules: 1–128 ASCII letters, digits and <c>- . % _ * ? ! ( ) , : = @ $ '</c>. IoT Hub also
/// allows <c>+</c> and <c>#</c>; Outpost refuses them because a device's id is part of its MQTT topics, where they
/// are wildcards.
/// </summary>
internal static class DeviceIds
{
    private const string Allowed = "-.%_*?!(),:=@$'";

    public static string Require(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !id.All(character => char.IsAsciiLetterOrDigit(character) || Allowed.Contains(character)))
        {
            throw new ServiceApi.HubException(ServiceApi.HubError.ArgumentInvalid,
                $"The device id '{id}' is not valid: use 1 to 128 ASCII letters, digits or any of {Allowed} (MQTT wildcards + and # and the / separator are refused).");
        }

        return id;
    }
}
