using System.Text.Json.Serialization;

namespace Outpost.IntegrationTests.Support;

internal sealed record AdminCredentials(
    [property: JsonPropertyName("tenantId")] string TenantId,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret,
    [property: JsonPropertyName("subscriptionId")] string SubscriptionId);
