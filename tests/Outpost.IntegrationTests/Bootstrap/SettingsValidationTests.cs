using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Bootstrap;

/// <summary>A setting out of range stops the start with the rule it broke, rather than a server that misbehaves later.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("--Outpost:Tokens:Lifetime=00:00:00", "Outpost:Tokens:Lifetime must be longer than zero")]
    [InlineData("--Outpost:Tokens:ClockSkew=-00:01:00", "Outpost:Tokens:ClockSkew must not be negative")]
    [InlineData("--Outpost:ActivityLog:PageSize=0", "Outpost:ActivityLog:PageSize must be at least 1")]
    [InlineData("--Outpost:ActivityLog:RetentionDays=0", "Outpost:ActivityLog:RetentionDays must be at least 1")]
    public async Task AnOutOfRangeSettingStopsTheStartWithItsRule(string setting, string rule)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => OutpostServer.StartAsync(null, setting));
        Assert.Contains(rule, refused.Message, StringComparison.Ordinal);
    }
}
