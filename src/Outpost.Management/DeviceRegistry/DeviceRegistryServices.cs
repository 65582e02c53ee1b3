using Microsoft.Extensions.Options;
using Outpost.Core.Storage;
using Outpost.Management.Arm;
using Outpost.Management.Authorization;
using Outpost.Management.Identity;

namespace Outpost.Management.DeviceRegistry;

/// <summary>The services every Device Registry handler uses, injected as one parameter so handler signatures stay readable.</summary>
internal sealed record DeviceRegistryServices(
    IOutpostStore Store,
    ArmScopes Scopes,
    AccessChecker Access,
    LongRunningOperations Operations,
    RegistryAuthorities Authorities,
    ServerIdentity Identity,
    TimeProvider Time,
    IOptions<DeviceRegistryOptions> Options);
