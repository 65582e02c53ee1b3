using Outpost.Management.Identity;

namespace Outpost.Management.Tests.Identity;

public sealed class TokenAudiencesTests
{
    [Theory]
    [InlineData("https://management.azure.com/.default", "https://management.azure.com/")]
    [InlineData("https://management.azure.com//.default", "https://management.azure.com/")]
    [InlineData("https://management.core.windows.net/.default", "https://management.azure.com/")]
    [InlineData("https://iothubs.azure.net/.default", "https://iothubs.azure.net")]
    [InlineData("https://azure-devices-provisioning.net/.default", "https://azure-devices-provisioning.net")]
    [InlineData("https://graph.microsoft.com/.default", "https://graph.microsoft.com")]
    public void KnownScopesMapToTheAudienceAzurePutsInTheirTokens(string scope, string audience)
    {
        Assert.Equal(audience, TokenAudiences.ForScope(scope)?.IssuedAudience);
    }

    [Theory]
    [InlineData("https://storage.azure.com/.default")]
    [InlineData("")]
    [InlineData("https://management.azure.com/.default https://iothubs.azure.net/.default")]
    public void OtherScopesGetNoToken(string scope)
    {
        Assert.Null(TokenAudiences.ForScope(scope));
    }

    [Theory]
    [InlineData("https://localhost:8443/.default", true)]
    [InlineData("https://LOCALHOST:8443//.default", true)]
    [InlineData("https://localhost:9999/.default", false)]
    [InlineData("https://elsewhere:8443/.default", false)]
    public void TheServersOwnOriginIsAManagementScope(string scope, bool expected)
    {
        Assert.Equal(expected, TokenAudiences.IsServerScope(scope, "https://localhost:8443"));
    }

    [Fact]
    public void ASecretVerifiesOnlyAgainstItsOwnHash()
    {
        var secret = ClientSecrets.Generate();
        var hash = ClientSecrets.Hash(secret);
        Assert.True(ClientSecrets.Verify(secret, hash));
        Assert.False(ClientSecrets.Verify(secret + "x", hash));
        Assert.NotEqual(hash, ClientSecrets.Hash(secret));
        Assert.DoesNotContain(secret, hash, StringComparison.Ordinal);
    }
}
