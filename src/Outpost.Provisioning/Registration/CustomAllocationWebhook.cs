using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Outpost.Core.Errors;
using Outpost.Provisioning.Enrollments;

namespace Outpost.Provisioning.Registration;

/// <summary>
/// Custom allocation: DPS posts the enrollment, the device's runtime context and the linked hubs to the enrollment's
/// <c>customAllocationDefinition.webhookUrl</c>, and the webhook answers <c>{"iotHubHostName", "initialTwin"?,
/// "payload"?}</c>. The chosen hub must be one the device may be assigned to.
/// </summary>
internal sealed class CustomAllocationWebhook(HttpClient http)
{
    public async Task<(string Hub, JsonNode? InitialTwin, JsonNode? Payload)> AllocateAsync(AttestedDevice device, string registrationId, JsonNode? payload,
        IReadOnlyList<string> candidates, string? currentHub, CancellationToken cancellationToken)
    {
        var definition = device.Enrollment["customAllocationDefinition"];
        var url = definition?["webhookUrl"]?.GetValue<string>()
            ?? throw new OutpostException(ErrorCode.InvalidParameter, "The enrollment's allocation policy is custom but it has no customAllocationDefinition.webhookUrl.");
        var apiVersion = definition?["apiVersion"]?.GetValue<string>() ?? "2021-10-01";
        var context = new JsonObject
        {
            ["registrationId"] = registrationId,
            ["currentIotHubHostName"] = currentHub,
            ["currentDeviceId"] = currentHub is null ? null : device.DeviceId,
            ["payload"] = payload?.DeepClone(),
        };
        context[device.Enrollment["attestation"]?["type"]?.GetValue<string>() == "x509" ? "x509" : "symmetricKey"] = new JsonObject();
        var request = new JsonObject
        {
            [device.Kind == EnrollmentKind.Group ? "enrollmentGroup" : "individualEnrollment"] = WithoutKeys(device.Enrollment),
            ["deviceRuntimeContext"] = context,
            ["linkedHubs"] = new JsonArray([.. candidates.Select(hub => (JsonNode)hub)]),
        };

        JsonObject? answer;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var response = await http.PostAsJsonAsync($"{url}{separator}api-version={Uri.EscapeDataString(apiVersion)}", request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed($"the webhook answered {(int)response.StatusCode}");
            }

            answer = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            throw Failed($"calling the webhook failed: {exception.Message}");
        }

        var hub = answer?["iotHubHostName"]?.GetValue<string>() ?? throw Failed("its answer has no iotHubHostName");
        return candidates.Contains(hub, StringComparer.OrdinalIgnoreCase)
            ? (hub.ToLowerInvariant(), answer!["initialTwin"]?.DeepClone(), answer["payload"]?.DeepClone())
            : throw Failed($"it chose '{hub}', which is not one of the hubs this device may be assigned to ({string.Join(", ", candidates)})");
    }

    /// <summary>The webhook learns the enrollment's settings, never its keys.</summary>
    private static JsonObject WithoutKeys(JsonObject enrollment)
    {
        var copy = enrollment.DeepClone().AsObject();
        copy["attestation"] = new JsonObject { ["type"] = enrollment["attestation"]?["type"]?.DeepClone() };
        return copy;
    }

    private static OutpostException Failed(string reason) => new(ErrorCode.Conflict, $"Custom allocation failed: {reason}.");
}
