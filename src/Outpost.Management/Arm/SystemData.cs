using System.Text.Json.Nodes;

namespace Outpost.Management.Arm;

/// <summary>ARM's <c>systemData</c> block: who created and last changed a resource, and when.</summary>
internal static class SystemData
{
    public static JsonObject Create(ArmCaller caller, DateTimeOffset now) => new()
    {
        ["createdBy"] = caller.ClientId,
        ["createdByType"] = "Application",
        ["createdAt"] = ArmJson.Timestamp(now),
        ["lastModifiedBy"] = caller.ClientId,
        ["lastModifiedByType"] = "Application",
        ["lastModifiedAt"] = ArmJson.Timestamp(now),
    };

    public static JsonObject Touch(JsonNode? existing, ArmCaller caller, DateTimeOffset now)
    {
        var data = existing?.DeepClone() as JsonObject ?? Create(caller, now);
        data["lastModifiedBy"] = caller.ClientId;
        data["lastModifiedByType"] = "Application";
        data["lastModifiedAt"] = ArmJson.Timestamp(now);
        return data;
    }
}
