using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Outpost.IntegrationTests.Support;

namespace Outpost.IntegrationTests.Security;

/// <summary>Nobody without a token this server signed, for the management API, gets in, and nothing is created on their behalf.</summary>
public sealed class AuthenticationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task CallsWithoutATokenAreRefusedAndCreateNothing()
    {
        using var anonymous = new ManagementClient(fixture.Server);
        var path = anonymous.ResourceGroupPath("anonymous-rg");
        var response = await anonymous.PutAsync(path, new { location = "eastus" });
        Assert.True(response.Status == HttpStatusCode.Unauthorized, response.ToString());
        Assert.Equal("AuthenticationFailed", response.ErrorCode);
        Assert.Contains("Authorization", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(path)).Status);
    }

    [Fact]
    public async Task ForgedTokensAreRefusedAndCreateNothing()
    {
        var admin = fixture.Server.Admin;
        using var forger = new ManagementClient(fixture.Server);
        // Every claim a real token has, for the right audience and issuer, signed by a key that is not the server's.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"{fixture.Server.BaseAddress}/{admin.TenantId}/v2.0",
            Audience = "https://management.azure.com/",
            Expires = DateTime.UtcNow.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("oid", Guid.NewGuid().ToString()), new Claim("appid", admin.ClientId), new Claim("tid", admin.TenantId)]),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256),
        });
        forger.UseToken(forged);
        var path = forger.ResourceGroupPath("forged-rg");
        var response = await forger.PutAsync(path, new { location = "eastus" });
        Assert.True(response.Status == HttpStatusCode.Unauthorized, response.ToString());
        Assert.Equal("InvalidAuthenticationToken", response.ErrorCode);

        forger.UseToken("not-a-jwt-at-all");
        Assert.Equal("InvalidAuthenticationToken", (await forger.PutAsync(path, new { location = "eastus" })).ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync(path)).Status);
    }

    [Fact]
    public async Task TokensForAnotherResourceAreRefusedByTheManagementApi()
    {
        using var client = new ManagementClient(fixture.Server);
        await client.SignInAsync("https://iothubs.azure.net/.default");
        var response = await client.PutAsync(client.ResourceGroupPath("hub-token-rg"), new { location = "eastus" });
        Assert.True(response.Status == HttpStatusCode.Unauthorized, response.ToString());
        Assert.Contains("https://management.azure.com/.default", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongClientSecretGetsNoToken()
    {
        var admin = fixture.Server.Admin;
        using var client = new ManagementClient(fixture.Server);
        var response = await client.PostFormAsync($"/{admin.TenantId}/oauth2/v2.0/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = admin.ClientId, ["client_secret"] = "wrong", ["scope"] = "https://management.azure.com/.default",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("invalid_client", response.Body!["error"]!.GetValue<string>());
        Assert.DoesNotContain("access_token", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredTokenIsRefusedWhenReused()
    {
        // Tokens that live two seconds and no clock skew, so that expiry can be seen within a test.
        await using var server = await OutpostServer.StartAsync(null, "--Outpost:Tokens:Lifetime=00:00:02", "--Outpost:Tokens:ClockSkew=00:00:00");
        using var client = new ManagementClient(server);
        await client.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/subscriptions/{client.SubscriptionId}")).Status);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var reused = await client.GetAsync($"/subscriptions/{client.SubscriptionId}");
        Assert.True(reused.Status == HttpStatusCode.Unauthorized, reused.ToString());
        Assert.Equal("InvalidAuthenticationToken", reused.ErrorCode);
        Assert.Contains("expiry", reused.ErrorMessage, StringComparison.Ordinal);
        await server.StopAsync();
    }
}
