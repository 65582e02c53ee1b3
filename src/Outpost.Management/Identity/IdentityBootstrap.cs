using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Outpost.Core;
using Outpost.Core.Storage;
using Outpost.Management.Authorization;
using Outpost.Pki.KeyProtection;

namespace Outpost.Management.Identity;

/// <summary>
/// First start: creates the tenant, the default subscription, the bootstrap admin service principal (Owner of the
/// subscription) with <c>admin.json</c>, and the token-signing key. Later starts reuse them. Runs before the listeners
/// open, so no request sees a half-made identity.
/// </summary>
internal sealed partial class IdentityBootstrap(
    IOutpostStore store,
    KeyProtector keyProtector,
    ServerIdentity identity,
    TimeProvider timeProvider,
    IOptions<OutpostOptions> options,
    ILogger<IdentityBootstrap> logger) : IHostedService
{
    private const string TenantSetting = "tenantId";
    private const string SubscriptionSetting = "subscriptionId";
    private const string AdminObjectIdSetting = "adminObjectId";
    private const string TokenKeyOwner = "outpost:token-signing";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var adminPath = Path.Combine(options.Value.DataDirectory, "admin.json");
        var tenantId = await store.GetSettingAsync(TenantSetting, cancellationToken);
        if (tenantId is null)
        {
            await CreateAsync(adminPath, cancellationToken);
        }
        else
        {
            await ReconcileAdminFileAsync(adminPath, tenantId, cancellationToken);
        }

        await EnsureWellKnownPrincipalsAsync(cancellationToken);
        await LoadSigningKeyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateAsync(string adminPath, CancellationToken cancellationToken)
    {
        // A crash after admin.json was written but before the commit leaves the file: reuse it, so the operator's copy stays valid.
        var admin = AdminCredentialsFile.TryRead(adminPath)
            ?? new AdminCredentialsFile(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), ClientSecrets.Generate(), Guid.NewGuid().ToString());
        admin.Write(adminPath);

        var adminObjectId = Guid.NewGuid().ToString();
        var subscriptionScope = $"/subscriptions/{admin.SubscriptionId}";
        var changes = new StoreChangeSet()
            .PutResource(new StoredResource(subscriptionScope, "Microsoft.Resources/subscriptions", admin.SubscriptionId, null, null,
                SubscriptionBody(admin.SubscriptionId, admin.TenantId).ToJsonString()), expectedVersion: 0)
            .PutPrincipal(new StoredPrincipal(adminObjectId, admin.ClientId, "Outpost administrator", PrincipalKind.ServicePrincipal, ClientSecrets.Hash(admin.ClientSecret), null))
            .PutRoleAssignment(Assignment(subscriptionScope, BuiltInRoles.Owner, adminObjectId))
            // Azure's Owner holds no data actions; the operator also gets certificate issuance so the CA can be used through the API at once.
            .PutRoleAssignment(Assignment(subscriptionScope, BuiltInRoles.DeviceRegistryContributor, adminObjectId))
            .PutSigningKey(CreateTokenSigningKey())
            .PutSetting(SubscriptionSetting, admin.SubscriptionId)
            .PutSetting(AdminObjectIdSetting, adminObjectId)
            .PutSetting(TenantSetting, admin.TenantId);
        await store.CommitAsync(changes, cancellationToken);
        LogBootstrapped(logger, admin.TenantId, admin.SubscriptionId, admin.ClientId, adminPath);
    }

    /// <summary>admin.json is the operator's source of truth for the secret: a missing file gets a new secret, an edited one is adopted.</summary>
    private async Task ReconcileAdminFileAsync(string adminPath, string tenantId, CancellationToken cancellationToken)
    {
        var subscriptionId = await store.GetSettingAsync(SubscriptionSetting, cancellationToken) ?? string.Empty;
        var adminObjectId = await store.GetSettingAsync(AdminObjectIdSetting, cancellationToken) ?? string.Empty;
        var principal = await store.GetPrincipalAsync(adminObjectId, cancellationToken)
            ?? throw new InvalidOperationException("The bootstrap admin principal is missing from the database; restore the data directory from a backup.");
        var admin = AdminCredentialsFile.TryRead(adminPath);
        if (admin is null)
        {
            admin = new AdminCredentialsFile(tenantId, principal.ClientId, ClientSecrets.Generate(), subscriptionId);
            admin.Write(adminPath);
            LogAdminSecretRotated(logger, adminPath);
        }
        else if (principal.SecretHash is not null && ClientSecrets.Verify(admin.ClientSecret, principal.SecretHash))
        {
            return;
        }

        await store.CommitAsync(new StoreChangeSet().PutPrincipal(principal with { SecretHash = ClientSecrets.Hash(admin.ClientSecret) }), cancellationToken);
    }

    /// <summary>
    /// First-party service principals every Azure tenant has and the walkthrough assigns roles to: "Azure IoT Hub"
    /// (its principal id is its application id here, so an assignment can name it directly). They hold no secret.
    /// </summary>
    private async Task EnsureWellKnownPrincipalsAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, name) in WellKnownPrincipals.All)
        {
            if (await store.GetPrincipalAsync(id, cancellationToken) is null)
            {
                await store.CommitAsync(new StoreChangeSet().PutPrincipal(new StoredPrincipal(id, id, name, PrincipalKind.ServicePrincipal, null, null)), cancellationToken);
            }
        }
    }

    private async Task LoadSigningKeyAsync(CancellationToken cancellationToken)
    {
        var stored = await store.GetSigningKeyAsync(TokenKeyOwner, cancellationToken)
            ?? throw new InvalidOperationException("The token-signing key is missing from the database; restore the data directory from a backup.");
        using var certificate = X509CertificateLoader.LoadCertificate(stored.CertificateDer);
        var key = SigningKeys.Open(keyProtector, stored.ProtectedPrivateKey, TokenKeyOwner, certificate);
        identity.Initialize(
            await store.GetSettingAsync(TenantSetting, cancellationToken) ?? string.Empty,
            await store.GetSettingAsync(SubscriptionSetting, cancellationToken) ?? string.Empty,
            key,
            certificate.Thumbprint);
    }

    private StoredSigningKey CreateTokenSigningKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Outpost token signing", key, HashAlgorithmName.SHA256);
        var now = timeProvider.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(20));
        return new StoredSigningKey(TokenKeyOwner, certificate.RawData, SigningKeys.Protect(keyProtector, key, TokenKeyOwner));
    }

    private static StoredRoleAssignment Assignment(string scope, RoleDefinition role, string principalId) =>
        new($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", scope, role.Id, principalId);

    private static JsonObject SubscriptionBody(string subscriptionId, string tenantId) => new()
    {
        ["id"] = $"/subscriptions/{subscriptionId}",
        ["subscriptionId"] = subscriptionId,
        ["tenantId"] = tenantId,
        ["displayName"] = "Outpost",
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject { ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "Outpost", ["spendingLimit"] = "Off" },
        ["authorizationSource"] = "RoleBased",
        ["managedByTenants"] = new JsonArray(),
        ["tags"] = new JsonObject(),
    };

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, EventName = "IdentityBootstrapped",
        Message = "First start: created tenant {TenantId}, subscription {SubscriptionId} and admin client {ClientId}; credentials are in {AdminFile}")]
    private static partial void LogBootstrapped(ILogger logger, string tenantId, string subscriptionId, string clientId, string adminFile);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, EventName = "AdminSecretRotated",
        Message = "{AdminFile} was missing: wrote a new admin client secret to it; the old secret no longer works")]
    private static partial void LogAdminSecretRotated(ILogger logger, string adminFile);
}
