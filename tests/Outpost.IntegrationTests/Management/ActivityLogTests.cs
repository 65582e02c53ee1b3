using System.Net;
using System.Text.Json.Nodes;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Management;

/// <summary>Two entries per page, so every query here also walks nextLink.</summary>
public sealed class ActivityLogFixture : ServerFixture
{
    protected override string[] ExtraArguments => ["--Outpost:ActivityLog:PageSize=2"];
}

/// <summary>The activity log (Microsoft.Insights eventtypes/management/values): every management write, with its caller and outcome.</summary>
public sealed class ActivityLogTests(ActivityLogFixture fixture) : IClassFixture<ActivityLogFixture>
{
    private ManagementClient Client => fixture.Client;

    [Fact]
    public async Task EveryWriteIsLoggedWithItsCallerCorrelationAndOutcomeAndReadsAreNot()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var group = Client.ResourceGroupPath("activity");
        var created = await Client.PutAsync(group, new { location = "eastus" });
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var refused = await Client.PutAsync(Client.HubPath("activity", "nowhere-hub"), new { location = "moon", sku = new { name = "S1", capacity = 1 }, properties = new { } });
        Assert.True(refused.Status == HttpStatusCode.BadRequest, refused.ToString());
        var identity = await Client.PutAsync(Client.IdentityPath("activity", "activity-id"), new { location = "eastus" });
        Assert.True(identity.Status is HttpStatusCode.Created or HttpStatusCode.OK, identity.ToString());
        await Client.GetAsync(group);

        var events = await ListAsync($"eventTimestamp ge '{since:O}' and resourceGroupName eq 'activity'");

        Assert.Equal(3, events.Count);
        var groupWrite = Single(events, "Microsoft.Resources/subscriptions/resourceGroups/write");
        Assert.Equal("Succeeded", groupWrite["status"]!["value"]!.GetValue<string>());
        Assert.Equal("Created", groupWrite["subStatus"]!["value"]!.GetValue<string>());
        Assert.Equal(group, groupWrite["resourceId"]!.GetValue<string>());
        Assert.Equal(Client.Server.Admin.ClientId, groupWrite["caller"]!.GetValue<string>());
        Assert.Equal(created.Headers.GetValues("x-ms-correlation-request-id").Single(), groupWrite["correlationId"]!.GetValue<string>());

        var hubWrite = Single(events, "Microsoft.Devices/IotHubs/write");
        Assert.Equal("Failed", hubWrite["status"]!["value"]!.GetValue<string>());
        Assert.Equal("Error", hubWrite["level"]!.GetValue<string>());
        Assert.Equal("BadRequest", hubWrite["properties"]!["statusCode"]!.GetValue<string>());
        Assert.Contains(refused.ErrorMessage!, hubWrite["properties"]!["statusMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        Single(events, "Microsoft.ManagedIdentity/userAssignedIdentities/write");

        // Narrowed to one resource, and to the properties asked for.
        var forHub = await ListAsync($"eventTimestamp ge '{since:O}' and resourceUri eq '{Client.HubPath("activity", "nowhere-hub")}'", "operationName,status");
        var only = Assert.Single(forHub);
        Assert.Equal(["operationName", "status"], only.AsObject().Select(property => property.Key).Order());
        var byCorrelation = await ListAsync($"eventTimestamp ge '{since:O}' and correlationId eq '{groupWrite["correlationId"]}'");
        Assert.Equal(group, Assert.Single(byCorrelation)["resourceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task AReaderOfOneGroupReadsThatGroupsActivityButNotTheSubscriptions()
    {
        await Client.PutAsync(Client.ResourceGroupPath("activity-reader"), new { location = "eastus" });
        var principal = await Client.CreateServicePrincipalAsync("activity-reader");
        await Client.AssignRoleAsync(Client.ResourceGroupPath("activity-reader"), ManagementClient.Roles.Reader, principal.ObjectId);

        using var reader = new ManagementClient(fixture.Server);
        await reader.SignInAsAsync(principal.AppId, principal.Secret);
        var since = Uri.EscapeDataString($"{DateTimeOffset.UtcNow.AddHours(-1):O}");
        var inGroup = await reader.GetAsync($"{Values}?$filter=eventTimestamp ge '{since}' and resourceGroupName eq 'activity-reader'", "2015-04-01");
        Assert.True(inGroup.Status == HttpStatusCode.OK, inGroup.ToString());
        Assert.Contains(inGroup.Body!["value"]!.AsArray(), entry => entry!["operationName"]!["value"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments/write");

        var everything = await reader.GetAsync($"{Values}?$filter=eventTimestamp ge '{since}'", "2015-04-01");
        Assert.True(everything.Status == HttpStatusCode.Forbidden, everything.ToString());
        Assert.Contains("Microsoft.Insights/eventtypes/values/read", everything.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("eventTimestamp le '2026-11-01T00:00:00Z'", "must give the start time")]
    [InlineData("eventTimestamp ge 'yesterday'", "is not a time")]
    [InlineData("eventTimestamp ge '2026-11-01T00:00:00Z' and caller eq 'me'", "is not supported")]
    [InlineData("eventTimestamp ge '2026-11-01T00:00:00Z' or resourceGroupName eq 'x'", "could not be read")]
    [InlineData("eventTimestamp ge '2026-11-02T00:00:00Z' and eventTimestamp le '2026-11-01T00:00:00Z'", "before its start time")]
    public async Task AFilterOutsideTheSupportedPatternsIsRefusedWithTheReason(string filter, string expected)
    {
        var response = await Client.GetAsync($"{Values}?$filter={Uri.EscapeDataString(filter)}", "2015-04-01");
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        Assert.Equal("InvalidParameter", response.ErrorCode);
        Assert.Contains(expected, response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSelectedPropertiesAndOtherApiVersionsAreRefused()
    {
        var filter = Uri.EscapeDataString($"eventTimestamp ge '{DateTimeOffset.UtcNow.AddHours(-1):O}'");
        var select = await Client.GetAsync($"{Values}?$filter={filter}&$select=status,colour", "2015-04-01");
        Assert.True(select.Status == HttpStatusCode.BadRequest, select.ToString());
        Assert.Contains("'colour'", select.ErrorMessage, StringComparison.Ordinal);
        var version = await Client.GetAsync($"{Values}?$filter={filter}", "2021-04-01");
        Assert.True(version.Status == HttpStatusCode.BadRequest, version.ToString());
        Assert.Contains("2015-04-01", version.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLogSurvivesARestart()
    {
        var server = await OutpostServer.StartAsync();
        using (var client = new ManagementClient(server))
        {
            await client.SignInAsync();
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync(client.ResourceGroupPath("kept"), new { location = "eastus" })).Status);
        }

        await server.StopAsync();
        await using var restarted = await OutpostServer.StartAsync(server.DataDirectory);
        using var again = new ManagementClient(restarted);
        await again.SignInAsync();
        var filter = Uri.EscapeDataString($"eventTimestamp ge '{DateTimeOffset.UtcNow.AddHours(-1):O}' and resourceGroupName eq 'kept'");
        var response = await again.GetAsync($"/subscriptions/{again.SubscriptionId}/providers/Microsoft.Insights/eventtypes/management/values?$filter={filter}", "2015-04-01");
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal("Microsoft.Resources/subscriptions/resourceGroups/write", Assert.Single(response.Body!["value"]!.AsArray())!["operationName"]!["value"]!.GetValue<string>());
        await restarted.StopAsync();
    }

    private string Values => $"/subscriptions/{Client.SubscriptionId}/providers/Microsoft.Insights/eventtypes/management/values";

    /// <summary>Every page, following nextLink; the fixture's page size of two makes that several requests.</summary>
    private async Task<List<JsonNode>> ListAsync(string filter, string? select = null)
    {
        var response = await Client.GetAsync($"{Values}?$filter={Uri.EscapeDataString(filter)}{(select is null ? string.Empty : "&$select=" + select)}", "2015-04-01");
        var events = new List<JsonNode>();
        while (true)
        {
            Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
            events.AddRange(response.Body!["value"]!.AsArray().Select(entry => entry!));
            if (response.Body["nextLink"]?.GetValue<string>() is not { } next)
            {
                return events;
            }

            response = await Client.FollowAsync(next);
        }
    }

    private static JsonNode Single(List<JsonNode> events, string operation) =>
        Assert.Single(events, entry => entry["operationName"]!["value"]!.GetValue<string>() == operation);
}
