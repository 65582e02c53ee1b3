using System.Security.Claims;

namespace Outpost.Management.Arm;

/// <summary>Who is calling, read from the validated access token.</summary>
internal sealed record ArmCaller(string ObjectId, string ClientId, string Audience)
{
    public static ArmCaller From(ClaimsPrincipal user) => new(
        user.FindFirstValue("oid") ?? string.Empty,
        user.FindFirstValue("appid") ?? user.FindFirstValue("azp") ?? string.Empty,
        user.FindFirstValue("aud") ?? string.Empty);
}
