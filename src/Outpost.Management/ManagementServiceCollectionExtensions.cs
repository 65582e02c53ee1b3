using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Outpost.Core.SharedAccess;
using Outpost.Management.ActivityLog;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.DeviceRegistry;
using Outpost.Management.Directory;
using Outpost.Management.DeviceRegistry.Credentials;
using Outpost.Management.DeviceRegistry.Devices;
using Outpost.Management.DeviceRegistry.Issuance;
using Outpost.Management.DeviceRegistry.Namespaces;
using Outpost.Management.DeviceRegistry.Policies;
using Outpost.Management.Identity;
using Outpost.Management.IotHubs;
using Outpost.Management.ManagedIdentities;
using Outpost.Management.ProvisioningServices;
using Outpost.Management.ResourceGroups;
using Outpost.Management.SharedAccess;
using Outpost.Management.Subscriptions;

namespace Outpost.Management;

public static class ManagementServiceCollectionExtensions
{
    /// <summary>
    /// The identity bootstrap, the token endpoint, bearer authentication and the ARM-shaped management API. Needs the
    /// store, the PKI and <see cref="Core.OutpostOptions"/> registered first.
    /// </summary>
    public static IServiceCollection AddOutpostManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceRegistryOptions>().Bind(configuration.GetSection(DeviceRegistryOptions.SectionName))
            .Validate(options => options.MaxPoliciesPerCredential >= 1, "Outpost:DeviceRegistry:MaxPoliciesPerCredential must be at least 1.")
            .Validate(options => options.DefaultPolicyValidityDays is >= PolicySettings.MinValidityDays and <= PolicySettings.MaxValidityDays,
                "Outpost:DeviceRegistry:DefaultPolicyValidityDays must be from 7 to 90.")
            .ValidateOnStart();
        services.TryAddSingleton<ServerIdentity>();
        services.AddHostedService<IdentityBootstrap>();
        services.TryAddSingleton<AccessChecker>();
        services.TryAddSingleton<Core.Authorization.IDataPlaneAuthorizer>(provider => provider.GetRequiredService<AccessChecker>());
        services.TryAddSingleton<ArmScopes>();
        services.TryAddSingleton<LongRunningOperations>();
        services.TryAddSingleton<RegistryAuthorities>();
        services.TryAddSingleton<RoleRequirements>();
        services.TryAddSingleton<AccessPolicyStore>();
        services.TryAddSingleton<IAccessPolicies>(provider => provider.GetRequiredService<AccessPolicyStore>());
        services.AddOptions<RegionOptions>().Bind(configuration.GetSection(RegionOptions.SectionName));
        services.TryAddSingleton<ManagementServices>();
        services.AddOptions<ActivityLogOptions>().Bind(configuration.GetSection(ActivityLogOptions.SectionName))
            .Validate(options => options.RetentionDays >= 1, "Outpost:ActivityLog:RetentionDays must be at least 1.")
            .Validate(options => options.PageSize >= 1, "Outpost:ActivityLog:PageSize must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton<ActivityRecorder>();
        services.AddExceptionHandler<ArmExceptionHandler>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.SectionName))
            .Validate(options => options.Lifetime > TimeSpan.Zero, "Outpost:Tokens:Lifetime must be longer than zero, such as 01:00:00.")
            .Validate(options => options.ClockSkew >= TimeSpan.Zero, "Outpost:Tokens:ClockSkew must not be negative.")
            .ValidateOnStart();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ServerIdentity, IOptions<TokenOptions>>((options, identity, tokens) =>
                ManagementAuthentication.Configure(options, identity, tokens.Value.ClockSkew));
        services.AddAuthorization();
        return services;
    }

    /// <summary>Maps the token endpoints (anonymous) and the management API (bearer token required, ARM errors).</summary>
    public static IEndpointRouteBuilder MapOutpostManagement(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapTokenEndpoints();
        var management = endpoints.MapGroup(string.Empty).RequireAuthorization();
        management.MapSubscriptions();
        management.MapResourceGroups();
        management.MapOperations();
        management.MapResourceExistence();
        management.MapRoleDefinitions();
        management.MapRoleAssignments();
        management.MapUserAssignedIdentities();
        management.MapIotHubs();
        management.MapIotHubActions();
        management.MapIotHubCertificates();
        management.MapProvisioningServices();
        management.MapGraph();
        management.MapSubscriptionAliases();
        management.MapNamespaces();
        management.MapCredentials();
        management.MapCredentialSynchronization();
        management.MapDeviceRevocation();
        management.MapIssuerRevocation();
        management.MapRevocationLists();
        management.MapPolicies();
        management.MapIssuance();
        management.MapActivityLog();
        return endpoints;
    }

    /// <summary>
    /// Request handling ARM clients rely on; call it before <c>UseRouting</c> so routes see the normalised path: every unhandled exception becomes the ARM error
    /// envelope, and repeated slashes in a path collapse to one. The Azure SDKs' by-id operations expand
    /// <c>/{resourceId}</c> with an id that itself starts with '/', and ARM accepts the resulting <c>//subscriptions/…</c>.
    /// Every management write, refused or not, goes to the activity log.
    /// </summary>
    public static IApplicationBuilder UseOutpostManagement(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(_ => { });
        var activity = app.ApplicationServices.GetRequiredService<ActivityRecorder>();
        return app.Use((context, next) =>
        {
            var path = context.Request.Path.Value;
            if (path is not null && path.Contains("//", StringComparison.Ordinal))
            {
                context.Request.Path = new PathString(System.Text.RegularExpressions.Regex.Replace(path, "/{2,}", "/"));
            }

            activity.Watch(context);
            return next(context);
        });
    }
}
