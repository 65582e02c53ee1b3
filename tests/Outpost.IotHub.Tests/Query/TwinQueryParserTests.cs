using System.Text.Json.Nodes;
using Outpost.IotHub.Query;
using Outpost.IotHub.ServiceApi;

namespace Outpost.IotHub.Tests.Query;

public sealed class TwinQueryParserTests
{
    private static readonly JsonObject[] Twins =
    [
        Twin("alpha", "enabled", """{"site":"north","floor":2}""", """{"firmware":"1.2.0","temperature":21.5}"""),
        Twin("beta", "disabled", """{"site":"south","floor":5}""", """{"firmware":"1.1.0"}"""),
        Twin("gamma", "enabled", """{}""", """{"firmware":null}"""),
    ];

    [Theory]
    [InlineData("SELECT * FROM devices", "alpha,beta,gamma")]
    [InlineData("select * from devices where status = 'enabled'", "alpha,gamma")]
    [InlineData("SELECT * FROM devices WHERE tags.site = 'north' OR tags.floor >= 5", "alpha,beta")]
    [InlineData("SELECT * FROM devices WHERE tags.floor > 1 AND NOT (tags.site = \"south\")", "alpha")]
    [InlineData("SELECT * FROM devices WHERE deviceId IN ['beta', 'gamma']", "beta,gamma")]
    [InlineData("SELECT * FROM devices WHERE deviceId NIN ['beta']", "alpha,gamma")]
    [InlineData("SELECT * FROM devices WHERE properties.reported.temperature < 22.0", "alpha")]
    [InlineData("SELECT * FROM devices WHERE properties.reported.firmware != '1.2.0'", "beta")]
    [InlineData("SELECT * FROM devices WHERE IS_DEFINED(tags.site)", "alpha,beta")]
    [InlineData("SELECT * FROM devices WHERE IS_NULL(properties.reported.firmware)", "gamma")]
    [InlineData("SELECT * FROM devices WHERE STARTSWITH(deviceId, 'al') OR ENDSWITH(deviceId, 'ma')", "alpha,gamma")]
    [InlineData("SELECT * FROM devices WHERE tags.site = 'North'", "")]
    public void ConditionsSelectTheTwinsIotHubWould(string query, string expected)
    {
        var parsed = TwinQueryParser.ParseQuery(query);
        var matched = Twins.Where(parsed.Matches).Select(twin => twin["deviceId"]!.GetValue<string>());
        Assert.Equal(expected, string.Join(',', matched));
    }

    [Fact]
    public void ProjectionsAndCountsAreShapedAsIotHubReturnsThem()
    {
        var fields = TwinQueryParser.ParseQuery("SELECT deviceId, tags.site FROM devices WHERE status = 'enabled'");
        var projected = fields.Project([.. Twins.Where(fields.Matches)]);
        Assert.False(fields.SelectsTwins);
        Assert.Equal("""{"deviceId":"alpha","site":"north"}""", projected[0].ToJsonString());

        var count = TwinQueryParser.ParseQuery("SELECT COUNT() AS numberOfDevices FROM devices");
        Assert.Equal("""[{"numberOfDevices":3}]""", new JsonArray([.. count.Project(Twins).Select(item => item.DeepClone())]).ToJsonString());
    }

    [Theory]
    [InlineData("SELECT * FROM modules")]
    [InlineData("SELECT * FROM devices WHERE")]
    [InlineData("SELECT * FROM devices WHERE tags.site = ")]
    [InlineData("DELETE FROM devices")]
    [InlineData("SELECT * FROM devices WHERE status = 'enabled' extra")]
    public void MalformedQueriesAreRefusedWithWhatIsServed(string query)
    {
        var refused = Assert.Throws<HubException>(() => TwinQueryParser.ParseQuery(query));
        Assert.Equal(HubError.ArgumentInvalid, refused.Error);
        Assert.Contains("FROM devices", refused.Message, StringComparison.Ordinal);
    }

    private static JsonObject Twin(string id, string status, string tags, string reported) => new()
    {
        ["deviceId"] = id,
        ["status"] = status,
        ["tags"] = JsonNode.Parse(tags),
        ["properties"] = new JsonObject { ["desired"] = new JsonObject(), ["reported"] = JsonNode.Parse(reported) },
    };
}
