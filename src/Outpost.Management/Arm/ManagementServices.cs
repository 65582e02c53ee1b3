using Microsoft.Extensions.Options;
using Outpost.Core;
using Outpost.Core.Storage;
using Outpost.Management.Authorization;
using Outpost.Management.DeviceRegistry;
using Outpost.Management.Identity;
using Outpost.Core.SharedAccess;
using Outpost.Management.SharedAccess;

namespace Outpost.Management.Arm;

/// <summary>The services management handlers use, injected as one parameter so handler signatures stay readable.</summary>
internal sealed record ManagementServices(
    IOutpostStore Store,
    ArmScopes Scopes,
    AccessChecker Access,
    RoleRequirements Roles,
    LongRunningOperations Operations,
    RegistryAuthorities Authorities,
    AccessPolicyStore AccessPolicies,
    ServerIdentity Identity,
    TimeProvider Time,
    IOptions<DeviceRegistryOptions> Options,
    IOptions<RegionOptions> Regions,
    IOptions<OutpostOptions> Server);
